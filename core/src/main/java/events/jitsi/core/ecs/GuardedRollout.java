package events.jitsi.core.ecs;

import events.jitsi.core.time.Scheduler;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Deploy, wait for the rollout and, if it fails, put the previous task definition back and wait for that
 * ({@code deploy --wait --rollback-on-failure}; the production step of a promotion). When ECS's circuit breaker has
 * already rolled the service back, the rollback is ECS's own deployment and only that is awaited.
 */
public final class GuardedRollout {
    private final EcsClient ecs;
    private final DeployRevision deploy;
    private final WaitForStable wait;
    private final Scheduler scheduler;
    private final Consumer<String> log;

    public GuardedRollout(EcsClient ecs, WaitForStable wait, Scheduler scheduler, Consumer<String> log) {
        this.ecs = ecs;
        this.deploy = new DeployRevision(ecs, log);
        this.wait = wait;
        this.scheduler = scheduler;
        this.log = log;
    }

    public RolloutResult run(DeployRequest request, Duration timeout, boolean rollbackOnFailure) {
        return run(request, timeout, rollbackOnFailure, timeout);
    }

    /** As {@link #run(DeployRequest, Duration, boolean)}, the rollback with a timeout of its own. */
    public RolloutResult run(DeployRequest request, Duration timeout, boolean rollbackOnFailure, Duration rollbackTimeout) {
        return follow(deploy.deploy(request), timeout, rollbackOnFailure, rollbackTimeout);
    }

    /**
     * Waits for a deploy that has been made, and rolls it back if it fails. A revision registered for this deploy
     * (new images, a promotion) is deregistered once the rollback has settled: nothing runs it any more.
     */
    public RolloutResult follow(DeployResult deployed, Duration timeout, boolean rollbackOnFailure) {
        return follow(deployed, timeout, rollbackOnFailure, timeout);
    }

    /** As {@link #follow(DeployResult, Duration, boolean)}, the rollback with a timeout of its own. */
    public RolloutResult follow(DeployResult deployed, Duration timeout, boolean rollbackOnFailure, Duration rollbackTimeout) {
        // The rollback's wait sees the service events the first wait already printed; print each line once.
        Set<String> printed = new HashSet<>();
        Consumer<String> log = line -> {
            if (printed.add(line)) {
                this.log.accept(line);
            }
        };
        if (!deployed.changed()) {
            return new RolloutResult(RolloutResult.Outcome.UNCHANGED, deployed, null, null, null);
        }
        WaitResult waited = scheduler.await(wait.start(new WaitRequest(deployed.cluster(), deployed.service(), deployed.deploymentId(), timeout), log));
        if (waited.succeeded()) {
            return new RolloutResult(RolloutResult.Outcome.SUCCEEDED, deployed, waited, null, null);
        }
        log.accept(waited.describe());
        if (waited.outcome() == WaitResult.Outcome.SUPERSEDED) {
            // Rolling back would undo a colleague's deployment.
            return new RolloutResult(RolloutResult.Outcome.SUPERSEDED, deployed, waited, null, null);
        }
        if (!rollbackOnFailure || !waited.allowsRollback()) {
            return new RolloutResult(RolloutResult.Outcome.FAILED, deployed, waited, null, null);
        }
        if (nothingToRollBack(deployed)) {
            log.accept(nothingToRollBackNote(deployed.previousTaskDefinitionArn()));
            return new RolloutResult(RolloutResult.Outcome.FAILED, deployed, waited, null, null);
        }
        return rollBack(deployed, waited, rollbackTimeout, log);
    }

    /**
     * After {@code failed}, puts the previous task definition back (or follows ECS's own rollback) and waits for it;
     * a revision registered for the failed deploy is deregistered once the rollback has settled.
     */
    public RolloutResult rollBack(DeployResult deployed, WaitResult failed, Duration timeout, Consumer<String> log) {
        String rollbackDeployment = startRollback(deployed, log);
        WaitResult rolledBack = scheduler.await(wait.start(new WaitRequest(deployed.cluster(), deployed.service(), rollbackDeployment, timeout), log));
        return finishRollback(deployed, failed, rolledBack, log);
    }

    /**
     * The first half of a rollback, for callers that wait their own way: points the service at the previous task
     * definition, unless ECS's circuit breaker already did, and returns the deployment to wait for.
     */
    public String startRollback(DeployResult deployed, Consumer<String> log) {
        String previous = deployed.previousTaskDefinitionArn();
        Service now = DeployRevision.describeService(ecs, deployed.cluster(), deployed.service());
        if (previous.equals(now.taskDefinition())) {
            String ecsRollback = DeployRevision.primaryId(now);
            log.accept("ECS is already rolling back to " + TaskDefinitions.shortName(previous) + " (deployment "
                    + ecsRollback + "); waiting for it.");
            return ecsRollback;
        }
        log.accept("Rolling back service " + deployed.service() + " to " + TaskDefinitions.shortName(previous) + ".");
        // Putting back what ran before: it replaces the failed deployment, and it may be of the family that ran before.
        return deploy.deploy(DeployRequest.ofTaskDefinition(deployed.cluster(), deployed.service(), previous)
                .replacingDeploymentInProgress(true).allowingFamilyChange(true)).deploymentId();
    }

    /**
     * True when the failed deployment runs the very task definition a rollback would put back (a restart, a
     * desired-count change): there is nothing to roll back to, and "rolling back" would only wait on the failure again.
     */
    public static boolean nothingToRollBack(DeployResult deployed) {
        return TaskDefinitions.sameRevision(deployed.previousTaskDefinitionArn(), deployed.taskDefinitionArn());
    }

    public static String nothingToRollBackNote(String taskDefinition) {
        return "Not rolled back: the failed deployment runs " + TaskDefinitions.shortName(taskDefinition)
                + ", the task definition a rollback would put back (a restart or a desired-count change), so there is nothing "
                + "to roll back to; the service is left as ECS has it.";
    }

    /** The second half: how the rollback ended; a revision registered for the failed deploy is deregistered once nothing runs it. */
    public RolloutResult finishRollback(DeployResult deployed, WaitResult failed, WaitResult rolledBack, Consumer<String> log) {
        String failedRevision = deployed.taskDefinitionArn();
        if (!rolledBack.succeeded()) {
            log.accept("The rollback did not settle either: " + rolledBack.describe());
        } else if (deployed.registeredRevision() && failedRevision == null) {
            log.accept("The failed revision was not deregistered: the wait never saw which task definition the failed deployment ran.");
        } else if (deployed.registeredRevision() && !TaskDefinitions.sameRevision(failedRevision, deployed.previousTaskDefinitionArn())) {
            // Left ACTIVE, the failed revision would look like a release to deploy, and "newest revision" checks would trip on it.
            try {
                ecs.deregisterTaskDefinition(d -> d.taskDefinition(failedRevision));
                log.accept("Deregistered the failed revision " + TaskDefinitions.shortName(failedRevision) + ".");
            } catch (RuntimeException e) {
                // The rollout's own failure is what the caller must see; this is a chore left to do.
                log.accept("Could not deregister the failed revision " + TaskDefinitions.shortName(failedRevision) + " (" + e.getMessage()
                        + "); deregister it by hand.");
            }
        }
        return new RolloutResult(rolledBack.succeeded() ? RolloutResult.Outcome.ROLLED_BACK : RolloutResult.Outcome.ROLLBACK_FAILED,
                deployed, failed, deployed.previousTaskDefinitionArn(), rolledBack);
    }
}
