package events.jitsi.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import events.jitsi.core.pipeline.PipelineSteps;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code verifyEnvironments}: the read-only checks of the environments (service state, settled deployment, newest
 * revision, EFS file system, public URLs, image drift; and where the environments file describes them: instances,
 * scaling, scale-in protection, EFS mount targets, load balancer routes and target health, DNS records). Returns
 * {@code passed}, {@code failures}, {@code checks}, {@code awsCalls} and {@code summary}; with {@code junit} it writes
 * the JUnit XML into the workspace for the {@code junit} step.
 */
public final class VerifyEnvironmentsStep extends AwsStep {
    private String environments;
    private List<String> only;
    private List<String> checks;
    private String junit;
    private String html;
    private Integer urlTimeout;

    @DataBoundConstructor
    public VerifyEnvironmentsStep() {
    }

    public String getEnvironments() {
        return environments;
    }

    /** The environments file as YAML text; default: the built-in seed topology. */
    @DataBoundSetter
    public void setEnvironments(String environments) {
        this.environments = hudson.Util.fixEmptyAndTrim(environments);
    }

    public List<String> getOnly() {
        return only;
    }

    @DataBoundSetter
    public void setOnly(List<String> only) {
        this.only = StepLists.entries(only);
    }

    public String getOnlyLines() {
        return StepLists.lines(only);
    }

    public List<String> getChecks() {
        return checks;
    }

    /** The sections to run: ecs, capacity, storage, loadBalancer, dns; default all (each where the file has it). */
    @DataBoundSetter
    public void setChecks(List<String> checks) {
        this.checks = StepLists.entries(checks);
    }

    public String getChecksLines() {
        return StepLists.lines(checks);
    }

    public String getJunit() {
        return junit;
    }

    @DataBoundSetter
    public void setJunit(String junit) {
        this.junit = hudson.Util.fixEmptyAndTrim(junit);
    }

    public String getHtml() {
        return html;
    }

    /** A self-contained HTML page of the checks, written into the workspace (a relative name, like junit). */
    @DataBoundSetter
    public void setHtml(String html) {
        this.html = hudson.Util.fixEmptyAndTrim(html);
    }

    public Integer getUrlTimeout() {
        return urlTimeout;
    }

    /** Seconds; default 5. */
    @DataBoundSetter
    public void setUrlTimeout(Integer urlTimeout) {
        this.urlTimeout = urlTimeout;
    }

    Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("environments", environments);
        a.put("only", only);
        a.put("checks", checks);
        a.put("junit", junit);
        a.put("html", html);
        a.put("urlTimeout", urlTimeout);
        putAwsArguments(a);
        a.values().removeIf(v -> v == null);
        return a;
    }

    @Override
    public StepExecution start(StepContext context) {
        Map<String, Object> arguments = arguments();
        return QuickStepExecution.withAws(context, "verifyEnvironments", (steps, c) -> {
            boolean reports = arguments.containsKey("junit") || arguments.containsKey("html");
            FilePath workspace = reports ? c.get(FilePath.class) : null;
            if (reports && workspace == null) {
                throw new AbortException("verifyEnvironments: junit and html write into the workspace; run the step inside node { }.");
            }
            // The checks run here, where the AWS credentials are; only the report goes to the agent, into the
            // workspace, under a name the engine has checked to stay inside it.
            return steps.verifyEnvironments(arguments, (name, text) -> {
                try {
                    workspace.child(name).write(text, StandardCharsets.UTF_8.name());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while writing " + name, e);
                }
            });
        });
    }

    @Extension
    public static final class DescriptorImpl extends AwsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "verifyEnvironments";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Verify the Jitsi/Matrix environments on ECS";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, EnvVars.class);
        }
    }
}
