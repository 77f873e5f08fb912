package events.jitsi.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import events.jitsi.core.pipeline.PipelineSteps;
import hudson.Extension;
import hudson.model.TaskListener;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code jitsiEnvironments}: reads an environments file (YAML text) into plain maps, so that pipelines find each
 * environment's region, cluster, EFS id and services without a YAML step of their own. Read-only.
 */
public final class JitsiEnvironmentsStep extends Step {
    private final String yaml;

    @DataBoundConstructor
    public JitsiEnvironmentsStep(String yaml) {
        this.yaml = yaml;
    }

    public String getYaml() {
        return yaml;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new QuickStepExecution(context, "jitsiEnvironments", c -> PipelineSteps.jitsiEnvironments(yaml));
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "jitsiEnvironments";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Read the Jitsi/Matrix environments file";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(TaskListener.class);
        }
    }
}
