package events.jitsi.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import events.jitsi.core.pipeline.ServiceStateArguments;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code ecsServiceState}: what a service runs right now, as ECS reports it (read-only: one DescribeServices call),
 * so that a job says where a service is after a failure or an abort, not what it meant to happen.
 */
public final class EcsServiceStateStep extends EcsServiceStep {

    @DataBoundConstructor
    public EcsServiceStateStep(String cluster, String service) {
        super(cluster, service);
    }

    ServiceStateArguments arguments() {
        return new ServiceStateArguments(awsAccess(), getCluster(), getService());
    }

    @Override
    public StepExecution start(StepContext context) {
        return QuickStepExecution.withAws(context, "ecsServiceState", (steps, c) -> steps.ecsServiceState(arguments()));
    }

    @Extension
    public static final class DescriptorImpl extends AwsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "ecsServiceState";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "What an ECS service runs right now";
        }

    }
}
