package events.jitsi.core.pipeline;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;
import events.jitsi.core.ecs.DeployResult;
import events.jitsi.core.ecs.EventCursor;
import events.jitsi.core.ecs.GuardedRollout;
import events.jitsi.core.ecs.RolloutResult;
import events.jitsi.core.ecs.TaskDefinitions;
import events.jitsi.core.ecs.WaitForStable;
import events.jitsi.core.ecs.WaitListener;
import events.jitsi.core.ecs.WaitRequest;
import events.jitsi.core.ecs.WaitResult;
import events.jitsi.core.time.Scheduler;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One run of {@code waitForServiceStable} that holds no thread and can be resumed from its {@link WaitStepState}:
 * wait for the deployment and, with {@code rollbackOnFailure}, put {@code rollbackTo} back and wait for that. The
 * Jenkins step runs it from {@code start()} and again from {@code onResume()} after a restart; the blocking
 * {@link PipelineSteps#waitForServiceStable} runs it too, so the library's tests and the plugin share one behaviour.
 *
 * <p>Ends exactly once: {@link Outcome#succeeded} or {@link Outcome#failed}, and neither after {@link #stop()}.
 * Every phase is saved before the work it announces starts, and that work is safe to repeat: a rollback started
 * again finds ECS already deploying the rollback target and waits for that deployment.
 */
public final class ResumableWait {
    /** Where the run reports; called on the scheduler's thread. */
    public interface Outcome {
        /**
         * The state changed: persist it ({@link WaitStepState#toMap()}), without blocking. The work a new phase
         * announces starts when the returned stage completes (or after {@link #SAVE_TIMEOUT}, saved or not), so a
         * slow disk delays this wait only, never the other waits on the shared scheduler.
         */
        CompletionStage<?> saveState();

        void succeeded(Map<String, Object> result);

        void failed(RuntimeException error);
    }

    /** How long a phase's work waits for its state to reach the disk before it starts anyway. */
    public static final Duration SAVE_TIMEOUT = Duration.ofSeconds(30);

    private final WaitArguments arguments;
    private final WaitStepState state;
    private final EcsClient ecs;
    private final WaitForStable waits;
    private final Scheduler scheduler;
    private final Consumer<String> log;
    private final Outcome outcome;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile CompletableFuture<WaitResult> current;

    public ResumableWait(WaitArguments arguments, WaitStepState state, EcsClient ecs, WaitForStable waits, Scheduler scheduler,
                         Consumer<String> log, Outcome outcome) {
        this.arguments = arguments;
        this.state = state;
        this.ecs = ecs;
        this.waits = waits;
        this.scheduler = scheduler;
        Set<String> printed = new HashSet<>();
        // The rollback's wait sees the service events the first wait already printed; print each line once.
        this.log = line -> {
            boolean fresh;
            synchronized (printed) {
                fresh = printed.add(line);
            }
            if (fresh) {
                log.accept(line);
            }
        };
        this.outcome = outcome;
    }

    /** The state of a new run; checks the arguments, so a bad call fails before anything runs. */
    public static WaitStepState newState(WaitArguments arguments, Clock clock) {
        WaitRequest request = arguments.request();
        long now = clock.millis();
        return new WaitStepState(request.deploymentId(), now, now + request.timeout().toMillis());
    }

    /** Starts the run, or resumes it from its saved phase. Does not block. */
    public void resume() {
        switch (state.phase()) {
            case WAITING, ROLLING_BACK -> awaitDeployment();
            case ROLLBACK_STARTING -> scheduler.schedule(Duration.ZERO, this::startRollback);
            case ENDED -> { }
        }
    }

    /** Stops the run: no wait or rollback is started after this, and the outcome is never reported. */
    public void stop() {
        stopped = true;
        CompletableFuture<WaitResult> wait = current;
        if (wait != null) {
            wait.cancel(false);
        }
    }

    public String status() {
        return state.describe(arguments.service());
    }

    private void awaitDeployment() {
        if (stopped) {
            return;
        }
        WaitRequest base = arguments.request();
        long left = Math.max(1, state.deadlineEpochMillis() - scheduler.clock().millis());
        WaitRequest request = new WaitRequest(base.cluster(), base.service(), state.deploymentId(), Duration.ofMillis(left),
                // The step's seconds count from its first start; a rollback's wait counts its own.
                state.phase() == WaitStepState.Phase.WAITING ? Instant.ofEpochMilli(state.startedEpochMillis()) : null, state.shown());
        CompletableFuture<WaitResult> wait;
        try {
            wait = waits.start(request, log, new WaitListener() {
                @Override
                public void following(String deploymentId) {
                    state.follow(deploymentId);
                    outcome.saveState();
                }

                @Override
                public void printed(EventCursor shown) {
                    state.printed(shown);
                    outcome.saveState();
                }
            });
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        current = wait;
        // Judged off the round that completed the wait: a rollback makes calls of its own.
        wait.whenComplete((result, error) -> {
            if (error == null) {
                scheduler.schedule(Duration.ZERO, () -> judge(result));
            } else if (!wait.isCancelled()) {
                fail(error instanceof RuntimeException r ? r : new IllegalStateException(error));
            }
        });
        if (stopped) {
            wait.cancel(false);
        }
    }

    private void judge(WaitResult result) {
        if (stopped) {
            return;
        }
        try {
            if (state.phase() == WaitStepState.Phase.ROLLING_BACK) {
                RolloutResult r = rollout().finishRollback(failedDeploy(), null, result, log);
                fail(PipelineSteps.rolledBack(state.failure(), r));
            } else if (result.succeeded()) {
                succeed(PipelineSteps.waitResult(result));
            } else if (result.outcome() == WaitResult.Outcome.NOT_FOUND) {
                fail(new InvalidInputException("waitForServiceStable: " + result.reason() + ". Give the deploymentId that "
                        + "ecsDeployRevision returned, or none to wait for the PRIMARY deployment."));
            } else if (!result.allowsRollback() || arguments.rollbackOf(result) == null) {
                fail(new OperationFailedException(result.describe()));
            } else if (GuardedRollout.nothingToRollBack(arguments.rollbackOf(result))) {
                fail(new OperationFailedException(result.describe() + "\n" + GuardedRollout.nothingToRollBackNote(result.taskDefinitionArn())));
            } else {
                log.accept(result.describe());
                state.rollbackStarting(result.describe(), result.deploymentId(), result.taskDefinitionArn());
                saveThen(this::startRollback);
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void startRollback() {
        if (stopped) {
            return;
        }
        String rollbackDeployment;
        try {
            rollbackDeployment = rollout().startRollback(failedDeploy(), log);
        } catch (RuntimeException e) {
            fail(new OperationFailedException(state.failure() + "\nThe rollback to "
                    + TaskDefinitions.shortName(arguments.rollbackTo()) + " could not start: " + e.getMessage()));
            return;
        }
        if (stopped) {
            return;
        }
        state.rollingBack(rollbackDeployment, scheduler.clock().millis() + arguments.rollbackDuration().toMillis());
        saveThen(this::awaitDeployment);
    }

    /** Saves the state and runs {@code next} on the scheduler once it is saved, or after {@link #SAVE_TIMEOUT} at the latest. */
    private void saveThen(Runnable next) {
        AtomicBoolean once = new AtomicBoolean();
        Runnable step = () -> {
            if (once.compareAndSet(false, true)) {
                scheduler.schedule(Duration.ZERO, next);
            }
        };
        CompletionStage<?> saved;
        try {
            saved = outcome.saveState();
        } catch (RuntimeException e) {
            log.accept("Could not save the step's state (" + e.getMessage() + "); going on.");
            step.run();
            return;
        }
        Scheduler.Cancellable late = scheduler.schedule(SAVE_TIMEOUT, () -> {
            if (!once.get()) {
                log.accept("Saving the step's state takes more than " + SAVE_TIMEOUT.toSeconds() + " s; going on without it.");
            }
            step.run();
        });
        saved.whenComplete((ok, error) -> {
            late.cancel();
            step.run();
        });
    }

    /** The deploy being rolled back, as GuardedRollout takes it: the failed deployment and what to put back. */
    private DeployResult failedDeploy() {
        WaitResult failed = new WaitResult(WaitResult.Outcome.FAILED, arguments.cluster(),
                arguments.service(), state.failedDeploymentId(), state.failedTaskDefinitionArn(),
                state.failure(), java.util.List.of(), java.util.List.of(), Duration.ZERO);
        return arguments.rollbackOf(failed);
    }

    private GuardedRollout rollout() {
        return new GuardedRollout(ecs, waits, scheduler, log);
    }

    private void succeed(Map<String, Object> result) {
        if (!stopped && ended.compareAndSet(false, true)) {
            state.ended();
            outcome.succeeded(result);
        }
    }

    private void fail(RuntimeException error) {
        if (!stopped && ended.compareAndSet(false, true)) {
            state.ended();
            outcome.failed(error);
        }
    }
}
