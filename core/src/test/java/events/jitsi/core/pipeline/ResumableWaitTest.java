package events.jitsi.core.pipeline;

import events.jitsi.core.ecs.DeployRequest;
import events.jitsi.core.ecs.DeployRevision;
import events.jitsi.core.ecs.DeployResult;
import events.jitsi.core.ecs.SimulatedEcs;
import events.jitsi.core.ecs.WaitForStable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static events.jitsi.core.ecs.SimulatedEcs.PRODUCTION;
import static events.jitsi.core.ecs.SimulatedEcs.STAGING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The races of a wait step that Jenkins can stop or restart at any moment, in simulated time: a restart is a run that
 * stops where it is (its threads are gone) and a new run from the state it saved last, after a round trip through
 * Java serialization as Jenkins' program state would make.
 */
class ResumableWaitTest {
    private final SimulatedEcs env = new SimulatedEcs();

    @AfterEach
    void close() {
        env.close();
    }

    /** One run of the step: what it reported, and the state as saved each time it asked. */
    private final class Run implements ResumableWait.Outcome {
        final List<Map<String, Object>> successes = new CopyOnWriteArrayList<>();
        final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        final List<byte[]> saves = new CopyOnWriteArrayList<>();
        final WaitStepState state;
        final ResumableWait wait;
        Consumer<WaitStepState> onSave = s -> { };

        Run(Map<String, Object> arguments, WaitStepState state, Consumer<String> log) {
            this.state = state;
            this.wait = new ResumableWait(WaitArguments.of(arguments), state, env.ecs, new WaitForStable(env.ecs, env.time), env.time, log, this);
        }

        /** What saveState answers: saved at once unless a test makes the disk slow. */
        java.util.function.Supplier<CompletionStage<?>> disk = () -> CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<?> saveState() {
            saves.add(serialize(state));
            onSave.accept(state);
            return disk.get();
        }

        @Override
        public void succeeded(Map<String, Object> result) {
            successes.add(result);
        }

        @Override
        public void failed(RuntimeException error) {
            failures.add(error);
        }

        int outcomes() {
            return successes.size() + failures.size();
        }

        /** The last state saved in this phase, as a restarted controller would read it. */
        WaitStepState savedIn(WaitStepState.Phase phase) {
            for (int i = saves.size() - 1; i >= 0; i--) {
                WaitStepState s = deserialize(saves.get(i));
                if (s.phase() == phase) {
                    return s;
                }
            }
            throw new AssertionError("no state saved in phase " + phase);
        }
    }

    /** The state as the plugin keeps it: its JDK-only map, through Java serialization. */
    private static byte[] serialize(WaitStepState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state.toMap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static WaitStepState deserialize(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return WaitStepState.fromMap((Map<String, Object>) in.readObject());
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A production deploy of a broken image, and the wait step's arguments that roll it back. */
    private Map<String, Object> brokenDeployWithRollback() {
        env.sim.model().setCircuitBreaker(PRODUCTION, "jitsi", true, false);
        DeployResult d = new DeployRevision(env.ecs, env.logger).deploy(
                DeployRequest.ofImages(PRODUCTION, "jitsi", Map.of("web", "jitsi/web:broken")));
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("cluster", PRODUCTION);
        arguments.put("service", "jitsi");
        arguments.put("deploymentId", d.deploymentId());
        arguments.put("timeout", 20);
        arguments.put("rollbackOnFailure", true);
        arguments.put("rollbackTo", d.previousTaskDefinitionArn());
        arguments.put("deregisterFailedRevision", d.registeredRevision());
        return arguments;
    }

    /** A run that the controller's going down stops the moment it saves {@code phase}; it has run for five minutes. */
    private Run runStoppedOnSaving(Map<String, Object> arguments, WaitStepState.Phase phase) {
        Run run = new Run(arguments, ResumableWait.newState(WaitArguments.of(arguments), env.time), env.logger);
        run.onSave = s -> {
            if (s.phase() == phase) {
                run.wait.stop();
            }
        };
        run.wait.resume();
        runFor(Duration.ofMinutes(5));
        return run;
    }

    private long updateServiceCalls() {
        return env.sim.callCount("UpdateService");
    }

    private void runFor(Duration d) {
        env.time.advance(d);
    }

    @Test
    void aWaitEndsOnceWithItsResult() {
        DeployResult d = new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(STAGING, "jitsi", 4));
        Map<String, Object> arguments = Map.of("cluster", STAGING, "service", "jitsi", "deploymentId", d.deploymentId(), "timeout", 10);
        Run run = new Run(new HashMap<>(arguments), ResumableWait.newState(WaitArguments.of(arguments), env.time), env.logger);
        run.wait.resume();
        runFor(Duration.ofMinutes(30));
        assertThat(run.successes).singleElement().satisfies(r -> assertThat(r).containsEntry("outcome", "SUCCEEDED")
                .containsEntry("deploymentId", d.deploymentId()));
        assertThat(run.failures).isEmpty();
        assertThat(run.state.phase()).isEqualTo(WaitStepState.Phase.ENDED);
    }

    @Test
    void stopDuringTheRollbackStartWinsOverEveryLaterPoll() {
        Map<String, Object> arguments = brokenDeployWithRollback();
        Run[] run = new Run[1];
        run[0] = new Run(arguments, ResumableWait.newState(WaitArguments.of(arguments), env.time), line -> {
            env.log.add(line);
            if (line.startsWith("Rolling back service")) {
                run[0].wait.stop();
            }
        });
        run[0].wait.resume();
        runFor(Duration.ofMinutes(2));
        assertThat(env.log).anyMatch(l -> l.startsWith("Rolling back service jitsi"));
        long describesAtStop = env.sim.callCount("DescribeServices");

        runFor(Duration.ofMinutes(60));
        assertThat(run[0].outcomes()).as("a stopped step reports nothing").isZero();
        assertThat(env.sim.callCount("DescribeServices")).as("no wait starts after stop").isEqualTo(describesAtStop);
        assertThat(run[0].state.phase()).isEqualTo(WaitStepState.Phase.ROLLBACK_STARTING);
    }

    @Test
    void stopWhileWaitingEndsThePolling() {
        Map<String, Object> arguments = brokenDeployWithRollback();
        Run run = new Run(arguments, ResumableWait.newState(WaitArguments.of(arguments), env.time), env.logger);
        run.wait.resume();
        runFor(Duration.ofSeconds(1));
        run.wait.stop();
        long describes = env.sim.callCount("DescribeServices");
        runFor(Duration.ofMinutes(60));
        assertThat(env.sim.callCount("DescribeServices")).isEqualTo(describes);
        assertThat(run.outcomes()).isZero();
        assertThat(updateServiceCalls()).as("only the deploy; no rollback after stop").isEqualTo(1);
    }

    @Test
    void aRestartWhileWaitingResumesTheSameDeployment() {
        env.sim.model().setStartSeconds(STAGING, "jitsi", 60);
        DeployResult d = new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(STAGING, "jitsi", 4));
        // No deploymentId given: the first run learns it from the service and saves it.
        Map<String, Object> arguments = new HashMap<>(Map.of("cluster", STAGING, "service", "jitsi", "timeout", 10));
        Run first = new Run(arguments, ResumableWait.newState(WaitArguments.of(arguments), env.time), env.logger);
        first.wait.resume();
        runFor(Duration.ofSeconds(20));
        first.wait.stop();
        WaitStepState saved = first.savedIn(WaitStepState.Phase.WAITING);
        assertThat(saved.deploymentId()).isEqualTo(d.deploymentId());

        Run resumed = new Run(arguments, saved, env.logger);
        resumed.wait.resume();
        runFor(Duration.ofMinutes(30));
        assertThat(resumed.successes).singleElement().satisfies(r -> assertThat(r).containsEntry("deploymentId", d.deploymentId()));
        assertThat(first.outcomes()).isZero();
    }

    @Test
    void aRestartPrintsEachServiceEventOnceAndCountsTheSecondsFromTheFirstStart() {
        env.sim.model().setStartSeconds(STAGING, "jitsi", 120);
        DeployResult d = new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(STAGING, "jitsi", 4));
        Map<String, Object> arguments = new HashMap<>(Map.of("cluster", STAGING, "service", "jitsi", "deploymentId", d.deploymentId(),
                "timeout", 30));
        List<String> firstLog = new CopyOnWriteArrayList<>();
        Run first = new Run(arguments, ResumableWait.newState(WaitArguments.of(arguments), env.time), firstLog::add);
        first.wait.resume();
        runFor(Duration.ofSeconds(60));
        first.wait.stop();
        assertThat(firstLog).as("the first run printed events").anyMatch(l -> l.contains("has started 1 tasks"));
        WaitStepState saved = first.savedIn(WaitStepState.Phase.WAITING);

        runFor(Duration.ofMinutes(3)); // the controller is down
        List<String> resumedLog = new CopyOnWriteArrayList<>();
        Run resumed = new Run(arguments, saved, resumedLog::add);
        resumed.wait.resume();
        runFor(Duration.ofMinutes(30));

        assertThat(resumedLog).as("nothing the first run printed").noneMatch(firstLog::contains);
        assertThat(resumedLog).anyMatch(l -> l.contains("has reached a steady state"));
        long seconds = (Long) resumed.successes.get(0).get("seconds");
        assertThat(seconds).as("from the first start, the downtime included").isGreaterThanOrEqualTo(240);
    }

    @Test
    void theSavedStateHoldsJdkTypesOnly() {
        Map<String, Object> arguments = brokenDeployWithRollback();
        Run run = runStoppedOnSaving(arguments, WaitStepState.Phase.ROLLING_BACK);
        for (byte[] save : run.saves) {
            Map<String, Object> map = deserialize(save).toMap();
            map.values().forEach(v -> assertThat(v.getClass().getName()).as(String.valueOf(v)).startsWith("java."));
            map.values().stream().filter(List.class::isInstance).flatMap(v -> ((List<?>) v).stream())
                    .forEach(v -> assertThat(v).isInstanceOf(String.class));
        }
        WaitStepState rollingBack = run.savedIn(WaitStepState.Phase.ROLLING_BACK);
        assertThat(rollingBack.toMap()).containsKeys("phase", "deploymentId", "startedEpochMillis", "deadlineEpochMillis",
                "failure", "failedDeploymentId", "failedTaskDefinitionArn", "shownEpochMillis", "shownEventIds");
        assertThat(WaitStepState.fromMap(rollingBack.toMap()).toMap()).isEqualTo(rollingBack.toMap());
    }

    @Test
    void aSlowSaveOfOneBuildDoesNotDelayAnotherBuildsRounds() {
        Map<String, Object> broken = brokenDeployWithRollback();
        Run slow = new Run(broken, ResumableWait.newState(WaitArguments.of(broken), env.time), env.logger);
        CompletableFuture<Void> disk = new CompletableFuture<>();
        slow.disk = () -> disk;
        DeployResult d = new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(STAGING, "jitsi", 4));
        Map<String, Object> healthy = new HashMap<>(Map.of("cluster", STAGING, "service", "jitsi", "deploymentId", d.deploymentId(), "timeout", 30));
        Run other = new Run(healthy, ResumableWait.newState(WaitArguments.of(healthy), env.time), env.logger);
        slow.wait.resume();
        other.wait.resume();

        runFor(Duration.ofMinutes(10));
        assertThat(other.successes).as("the other build's wait ended while the slow build's save hung").hasSize(1);
        assertThat(slow.state.phase()).isIn(WaitStepState.Phase.ROLLING_BACK, WaitStepState.Phase.ENDED);
        assertThat(env.log).anyMatch(l -> l.startsWith("Saving the step's state takes more than 30 s"));
        disk.complete(null);
        runFor(Duration.ofMinutes(30));
        assertRolledBackOnce(slow);
    }

    @Test
    void aPhaseStartsOnlyOnceItsStateIsSaved() {
        Map<String, Object> broken = brokenDeployWithRollback();
        Run run = new Run(broken, ResumableWait.newState(WaitArguments.of(broken), env.time), env.logger);
        List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
        run.disk = () -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            if (run.state.phase() == WaitStepState.Phase.ROLLBACK_STARTING) {
                // The rollback may not start before this completes: complete it 10 s later and look in between.
                env.time.schedule(Duration.ofSeconds(10), () -> f.complete(null));
            } else {
                f.complete(null);
            }
            return f;
        };
        long[] updatesWhenSaved = {-1};
        run.onSave = s -> {
            if (s.phase() == WaitStepState.Phase.ROLLBACK_STARTING) {
                updatesWhenSaved[0] = updateServiceCalls();
                env.time.schedule(Duration.ofSeconds(5), () -> assertThat(updateServiceCalls()).as("no rollback before the save completed")
                        .isEqualTo(updatesWhenSaved[0]));
            }
        };
        run.wait.resume();
        runFor(Duration.ofMinutes(30));
        assertThat(updatesWhenSaved[0]).isEqualTo(1);
        assertRolledBackOnce(run);
    }

    @Test
    void aRestartBeforeTheFirstPollFollowsThePrimaryDeployment() {
        DeployResult d = new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(STAGING, "jitsi", 4));
        Map<String, Object> arguments = new HashMap<>(Map.of("cluster", STAGING, "service", "jitsi"));
        WaitStepState fresh = deserialize(serialize(ResumableWait.newState(WaitArguments.of(arguments), env.time)));
        Run resumed = new Run(arguments, fresh, env.logger);
        resumed.wait.resume();
        runFor(Duration.ofMinutes(30));
        assertThat(resumed.successes).singleElement().satisfies(r -> assertThat(r).containsEntry("deploymentId", d.deploymentId()));
    }

    @Test
    void aRestartAfterTheFailureWasSavedStartsTheRollbackOnce() {
        Map<String, Object> arguments = brokenDeployWithRollback();
        // The controller goes down right after saving ROLLBACK_STARTING, before the rollback's UpdateService.
        Run first = runStoppedOnSaving(arguments, WaitStepState.Phase.ROLLBACK_STARTING);
        assertThat(updateServiceCalls()).isEqualTo(1);

        Run resumed = new Run(arguments, first.savedIn(WaitStepState.Phase.ROLLBACK_STARTING), env.logger);
        resumed.wait.resume();
        runFor(Duration.ofMinutes(30));
        assertRolledBackOnce(resumed);
        assertThat(updateServiceCalls()).as("the deploy and one rollback").isEqualTo(2);
    }

    @Test
    void aRestartAfterTheRollbackStartedWaitsForItInsteadOfStartingASecondOne() {
        Map<String, Object> arguments = brokenDeployWithRollback();
        // The controller goes down after the rollback's UpdateService, before ROLLING_BACK reached the disk: the
        // newest state on disk is still ROLLBACK_STARTING.
        Run first = runStoppedOnSaving(arguments, WaitStepState.Phase.ROLLING_BACK);
        assertThat(updateServiceCalls()).isEqualTo(2);

        List<String> resumedLog = new CopyOnWriteArrayList<>();
        Run resumed = new Run(arguments, first.savedIn(WaitStepState.Phase.ROLLBACK_STARTING), resumedLog::add);
        resumed.wait.resume();
        runFor(Duration.ofMinutes(30));
        assertRolledBackOnce(resumed);
        assertThat(resumedLog).anyMatch(l -> l.startsWith("ECS is already rolling back to jitsi-meet-task:12"));
        assertThat(updateServiceCalls()).as("no second rollback").isEqualTo(2);
    }

    @Test
    void aRestartWhileRollingBackWaitsForTheRollback() {
        Map<String, Object> arguments = brokenDeployWithRollback();
        Run first = runStoppedOnSaving(arguments, WaitStepState.Phase.ROLLING_BACK);

        Run resumed = new Run(arguments, first.savedIn(WaitStepState.Phase.ROLLING_BACK), env.logger);
        resumed.wait.resume();
        runFor(Duration.ofMinutes(30));
        assertRolledBackOnce(resumed);
        assertThat(updateServiceCalls()).isEqualTo(2);
    }

    private void assertRolledBackOnce(Run run) {
        assertThat(run.successes).isEmpty();
        assertThat(run.failures).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("CannotPullContainerError")
                .contains("Rolled back: the service runs jitsi-meet-task:12 again."));
        assertThat(env.sim.model().currentTaskDefinition(PRODUCTION, "jitsi")).endsWith("jitsi-meet-task:12");
        assertThat(env.sim.model().taskDefinition("jitsi-meet-task:13").get("status").asText())
                .as("the revision registered for the failed deploy is deregistered").isEqualTo("INACTIVE");
    }

    @Test
    void aRollbackAfterAWaitThatNeverSawItsDeploymentDeregistersNothing() {
        String running = env.sim.model().currentTaskDefinition(PRODUCTION, "jitsi");
        Map<String, Object> arguments = new HashMap<>(Map.of("cluster", PRODUCTION, "service", "jitsi", "deploymentId", "ecs-svc/0000000000000000000",
                "timeout", 10, "rollbackOnFailure", true, "rollbackTo", running, "deregisterFailedRevision", true));
        Run run = new Run(arguments, ResumableWait.newState(WaitArguments.of(arguments), env.time), env.logger);
        run.wait.resume();
        runFor(Duration.ofMinutes(30));
        assertThat(run.failures).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("ecs-svc/0000000000000000000")
                .doesNotContainIgnoringCase("DeregisterTaskDefinition").doesNotContain("null"));
        assertThat(env.sim.callCount("DeregisterTaskDefinition")).isZero();
        assertThat(env.sim.model().currentTaskDefinition(PRODUCTION, "jitsi")).isEqualTo(running);
    }

    @Test
    void aColleaguesDeploymentEndsTheStepWithoutARollback() {
        env.sim.model().setStartSeconds(PRODUCTION, "jitsi", 120);
        DeployResult d = new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(PRODUCTION, "jitsi", 11));
        Map<String, Object> arguments = new HashMap<>(Map.of("cluster", PRODUCTION, "service", "jitsi", "deploymentId", d.deploymentId(),
                "timeout", 30, "rollbackOnFailure", true, "rollbackTo", d.previousTaskDefinitionArn()));
        env.time.schedule(Duration.ofSeconds(40), () -> new DeployRevision(env.ecs, env.logger)
                .deploy(DeployRequest.ofRevision(PRODUCTION, "jitsi", 10 + 2).replacingDeploymentInProgress(true)));
        Run run = new Run(arguments, ResumableWait.newState(WaitArguments.of(arguments), env.time), env.logger);
        run.wait.resume();
        runFor(Duration.ofMinutes(30));
        assertThat(run.failures).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("started by someone else")
                .doesNotContain("Rolled back"));
        assertThat(updateServiceCalls()).as("ours and the colleague's").isEqualTo(2);
    }

    @Test
    void theRollbackWaitsForItsOwnTimeout() {
        // Neither the new revision nor the rollback can be placed: one host slot, held by the old task.
        env.sim.model().setDeploymentConfiguration(STAGING, "jitsi", 100, 200);
        DeployResult d = new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(STAGING, "jitsi", 4));
        Map<String, Object> arguments = new HashMap<>(Map.of("cluster", STAGING, "service", "jitsi", "deploymentId", d.deploymentId(),
                "timeout", 30, "rollbackOnFailure", true, "rollbackTo", d.previousTaskDefinitionArn(), "rollbackTimeout", 2));
        Run run = new Run(arguments, ResumableWait.newState(WaitArguments.of(arguments), env.time), env.logger);
        run.wait.resume();
        runFor(Duration.ofMinutes(30));
        assertThat(run.failures).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("ECS has not been able to place").contains("failed too").contains("did not finish in 2 min"));
    }
}
