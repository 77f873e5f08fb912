package events.jitsi.cli;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.ecs.ContainerImages;
import events.jitsi.core.ecs.DeployRequest;
import events.jitsi.core.ecs.DeployResult;
import events.jitsi.core.ecs.DeployRevision;
import events.jitsi.core.ecs.GuardedRollout;
import events.jitsi.core.ecs.PollingPolicy;
import events.jitsi.core.ecs.RolloutResult;
import events.jitsi.core.ecs.TaskDefinitions;
import events.jitsi.core.ecs.WaitForStable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.util.concurrent.Callable;

@Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Point a service at a task definition: a revision of its family, a FAMILY:REV or ARN, or new images.")
final class DeployCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ServiceOptions target;

    @Option(names = "--revision", description = "Revision N of the family the service runs now.")
    Integer revision;

    @Option(names = "--task-definition", paramLabel = "FAMILY:REV|ARN", description = "A registered task definition.")
    String taskDefinition;

    @Option(names = "--image", paramLabel = "CONTAINER=IMAGE",
            description = "Register a new revision of the current task definition with this image (repeatable, once per container).")
    java.util.List<String> images = new java.util.ArrayList<>();

    @Option(names = "--force-new-deployment", description = "Start new tasks even if the task definition does not change.")
    boolean forceNewDeployment;

    @Option(names = "--desired-count", description = "Set the service's desired task count.")
    Integer desiredCount;

    @Option(names = "--allow-family-change", description = "Allow a task definition of another family than the service runs "
            + "(each family holds its environment's own EFS, secrets and roles).")
    boolean allowFamilyChange;

    @Option(names = "--force", description = "Replace a deployment of the service that is still rolling out.")
    boolean replaceInProgress;

    @Option(names = "--dry-run", description = "Show what would change (the task-definition diff) and write nothing.")
    boolean dryRun;

    @Option(names = "--wait", description = "Wait for the deployment to complete (see the wait command).")
    boolean waitForIt;

    @Option(names = "--rollback-on-failure", description = "With --wait: if the deployment fails, deploy the previous task definition back and wait for it.")
    boolean rollbackOnFailure;

    @Option(names = "--rollback-timeout", converter = DurationConverter.class, defaultValue = "30m",
            description = "With --rollback-on-failure: how long to wait for the rollback (default ${DEFAULT-VALUE}).")
    java.time.Duration rollbackTimeout;

    @Override
    public Integer call() {
        if (rollbackOnFailure && !waitForIt) {
            throw new InvalidInputException("--rollback-on-failure needs --wait: a rollback follows a failed wait.");
        }
        PollingPolicy polling = target.polling();
        DeployRequest request = new DeployRequest(target.cluster, target.service, revision, taskDefinition,
                ContainerImages.parse(images, "--image"), forceNewDeployment, desiredCount, allowFamilyChange, replaceInProgress);
        Output out = main.output();
        EcsClient ecs = main.ecs();
        if (dryRun) {
            if (waitForIt) {
                throw new InvalidInputException("--dry-run writes nothing, so there is nothing to --wait for.");
            }
            String plan = new DeployRevision(ecs, out.progress()).dryRun(request);
            out.result(java.util.Map.of("dryRun", true, "plan", plan), plan.stripTrailing());
            return Main.OK;
        }
        try (Interruption interruption = Interruption.watch(ecs, request.cluster(), request.service(), System.err)) {
            DeployResult deployed = new DeployRevision(ecs, out.progress(), interruption).deploy(request);
            if (!waitForIt) {
                out.result(deployed, deployed.changed() ? "Deployed " + TaskDefinitions.shortName(deployed.taskDefinitionArn()) + " to "
                        + target.service + " (deployment " + deployed.deploymentId() + "); not waiting." : null);
                return Main.OK;
            }
            interruption.waiting(deployed.deploymentId());
            WaitForStable wait = new WaitForStable(ecs, main.scheduler(), polling);
            RolloutResult r = new GuardedRollout(ecs, wait, main.scheduler(), out.progress()).follow(deployed, target.timeout, rollbackOnFailure,
                    rollbackTimeout);
            out.result(r, summary(r));
            return r.succeeded() ? Main.OK : Main.FAILED;
        }
    }

    static String summary(RolloutResult r) {
        String to = TaskDefinitions.shortName(r.deploy().taskDefinitionArn());
        String service = r.deploy().service();
        return switch (r.outcome()) {
            case UNCHANGED -> "Nothing deployed: " + service + " already runs " + to + ".";
            case SUCCEEDED -> "Deployed " + to + " to " + service + ": rollout completed in " + r.rollout().elapsed().toSeconds() + " s.";
            case FAILED -> "FAILED: " + service + " did not take " + to + "; see above.";
            case ROLLED_BACK -> "FAILED and rolled back: " + service + " runs " + TaskDefinitions.shortName(r.rolledBackTo()) + " again.";
            case SUPERSEDED -> "STOPPED: deployment " + r.deploy().deploymentId() + " of " + service + " was " + r.rollout().reason()
                    + "; nothing was rolled back.";
            case ROLLBACK_FAILED -> "FAILED, and the rollback to " + TaskDefinitions.shortName(r.rolledBackTo())
                    + " failed too; look at the service now.\n" + r.rollbackWait().describe();
        };
    }
}
