package events.jitsi.core.ecs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static events.jitsi.core.ecs.SimulatedEcs.PRODUCTION;
import static events.jitsi.core.ecs.SimulatedEcs.STAGING;
import static org.assertj.core.api.Assertions.assertThat;

/** A rollout with rollback on failure where the rollback itself has nothing to do, or part of it cannot be done. */
class GuardedRolloutTest {
    private final SimulatedEcs env = new SimulatedEcs();

    @AfterEach
    void close() {
        env.close();
    }

    private GuardedRollout rollout() {
        return new GuardedRollout(env.ecs, new WaitForStable(env.ecs, env.time), env.time, env.logger);
    }

    @Test
    void aFailedRestartIsReportedAsItIsWithNothingRolledBack() {
        // The image production runs no longer starts: a forced new deployment of the same definition fails.
        env.sim.model().failImage("jitsi/web:stable-9955", "CannotPullContainerError: pull access denied", false);
        RolloutResult r = rollout().run(DeployRequest.ofRevision(PRODUCTION, "jitsi", 12).withForceNewDeployment(true),
                Duration.ofMinutes(30), true);

        assertThat(r.outcome()).isEqualTo(RolloutResult.Outcome.FAILED);
        assertThat(r.rollbackWait()).isNull();
        assertThat(env.log).anyMatch(l -> l.startsWith("Not rolled back: the failed deployment runs jitsi-meet-task:12"));
        assertThat(env.log).noneMatch(l -> l.contains("already rolling back"));
        assertThat(env.sim.callCount("UpdateService")).as("the restart only").isEqualTo(1);
        assertThat(env.time.instant()).as("no second wait on the failing deployment").isBefore(env.sim.model().firstFailureAt(PRODUCTION, "jitsi",
                java.time.Instant.EPOCH).plus(Duration.ofMinutes(10)));
    }

    @Test
    void aFailedDesiredCountChangeIsNotRolledBack() {
        // Staging's one c5a.large has no memory for a second jitsi task.
        DeployRequest twoTasks = new DeployRequest(STAGING, "jitsi", null, null, null, false, 2);
        RolloutResult r = rollout().run(twoTasks, Duration.ofMinutes(30), true);

        assertThat(r.outcome()).isEqualTo(RolloutResult.Outcome.FAILED);
        assertThat(r.rollout().reason()).startsWith("ECS has not been able to place");
        assertThat(env.log).anyMatch(l -> l.startsWith("Not rolled back"));
        assertThat(env.sim.callCount("UpdateService")).isEqualTo(1);
    }

    @Test
    void aRollbackWhoseFailedRevisionIsUnknownDeregistersNothing() {
        DeployResult deployed = new DeployResult(PRODUCTION, "jitsi", "arn:aws:ecs:eu-central-1:123456789012:task-definition/jitsi-meet-task:12",
                null, "ecs-svc/never-seen", true, true);
        WaitResult failed = new WaitResult(WaitResult.Outcome.FAILED, PRODUCTION, "jitsi", "ecs-svc/never-seen", null, "gone",
                List.of(), List.of(), Duration.ZERO);
        WaitResult settled = new WaitResult(WaitResult.Outcome.SUCCEEDED, PRODUCTION, "jitsi", "ecs-svc/rollback",
                deployed.previousTaskDefinitionArn(), null, List.of(), List.of(), Duration.ZERO);

        RolloutResult r = rollout().finishRollback(deployed, failed, settled, env.logger);

        assertThat(r.outcome()).isEqualTo(RolloutResult.Outcome.ROLLED_BACK);
        assertThat(env.sim.callCount("DeregisterTaskDefinition")).isZero();
        assertThat(env.log).anyMatch(l -> l.contains("never saw which task definition"));
    }

    @Test
    void aDeregistrationThatFailsDoesNotHideTheOutcome() {
        DeployResult deployed = new DeployResult(PRODUCTION, "jitsi", "jitsi-meet-task:12", "jitsi-meet-task:99", "ecs-svc/x", true, true);
        WaitResult failed = new WaitResult(WaitResult.Outcome.FAILED, PRODUCTION, "jitsi", "ecs-svc/x", "jitsi-meet-task:99", "broken",
                List.of(), List.of(), Duration.ZERO);
        WaitResult settled = new WaitResult(WaitResult.Outcome.SUCCEEDED, PRODUCTION, "jitsi", "ecs-svc/y", "jitsi-meet-task:12", null,
                List.of(), List.of(), Duration.ZERO);

        RolloutResult r = rollout().finishRollback(deployed, failed, settled, env.logger);

        assertThat(r.outcome()).isEqualTo(RolloutResult.Outcome.ROLLED_BACK);
        assertThat(env.log).anyMatch(l -> l.startsWith("Could not deregister the failed revision jitsi-meet-task:99"));
    }
}
