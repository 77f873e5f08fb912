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
public final class EcsServiceStateStep extends AwsStep {
    private final String cluster;
    private final String service;

    @DataBoundConstructor
    public EcsServiceStateStep(String cluster, String service) {
        this.cluster = cluster;
        this.service = service;
    }

    public String getCluster() {
        return cluster;
    }

    public String getService() {
        return service;
    }

    ServiceStateArguments arguments() {
        return new ServiceStateArguments(awsAccess(), cluster, service);
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
