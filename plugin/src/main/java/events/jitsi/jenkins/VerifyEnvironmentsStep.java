package events.jitsi.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import events.jitsi.core.pipeline.PipelineSteps;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import java.io.File;
import jenkins.MasterToSlaveFileCallable;
import java.io.IOException;
import events.jitsi.core.pipeline.VerifyArguments;
import java.util.List;
import java.util.Map;
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

    VerifyArguments arguments() {
        return new VerifyArguments(awsAccess(), environments, only, checks, junit, html, urlTimeout);
    }

    @Override
    public StepExecution start(StepContext context) {
        return QuickStepExecution.withAws(context, "verifyEnvironments", (steps, c) -> {
            VerifyArguments arguments = arguments();
            boolean reports = arguments.junit() != null || arguments.html() != null;
            FilePath workspace = reports ? c.get(FilePath.class) : null;
            if (reports && workspace == null) {
                throw new AbortException("verifyEnvironments: junit and html write into the workspace; run the step inside node { }.");
            }
            // The checks run here, where the AWS credentials are; only the reports go to the agent, into the
            // workspace, under names the engine has checked to stay inside it, prepared there before any AWS call.
            return steps.verifyEnvironments(arguments, workspace == null ? null : new AgentReports(workspace));
        });
    }

    /** The reports in the workspace on the agent, prepared and written there by the engine's rules. */
    private static final class AgentReports implements PipelineSteps.ReportWriter {
        private final FilePath workspace;

        AgentReports(FilePath workspace) {
            this.workspace = workspace;
        }

        @Override
        public void prepare(String relativeName, String argument) throws IOException {
            String refused = act(new OnAgent(relativeName, argument, null));
            if (refused != null) {
                throw new events.jitsi.core.InvalidInputException(refused);
            }
        }

        @Override
        public void write(String relativeName, String text) throws IOException {
            String failed = act(new OnAgent(relativeName, null, text));
            if (failed != null) {
                throw new IOException(failed);
            }
        }

        private String act(OnAgent work) throws IOException {
            try {
                return workspace.act(work);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted in the workspace", e);
            }
        }
    }

    /** Prepares ({@code text} null) or writes one report in the workspace; answers what went wrong, or null. */
    private static final class OnAgent extends MasterToSlaveFileCallable<String> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final String argument;
        private final String text;

        OnAgent(String name, String argument, String text) {
            this.name = name;
            this.argument = argument;
            this.text = text;
        }

        @Override
        public String invoke(File workspace, VirtualChannel channel) {
            PipelineSteps.ReportWriter local = PipelineSteps.reportsIn(workspace.toPath());
            try {
                if (text == null) {
                    local.prepare(name, argument);
                } else {
                    local.write(name, text);
                }
                return null;
            } catch (IOException | RuntimeException e) {
                return e.getMessage();
            }
        }
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

    }
}
