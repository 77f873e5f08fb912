package events.jitsi.core.time;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Where the engine's waits keep time. Injected so that the same code runs on real threads (CLI, plugin) and in
 * simulated time (tests, demo, benchmark), where hours of a rollout pass in milliseconds.
 */
public interface Scheduler {
    Clock clock();

    /** Runs {@code task} once after {@code delay}; holds no thread meanwhile. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Blocks the caller until {@code future} completes, letting scheduled work run meanwhile. */
    <T> T await(CompletableFuture<T> future);

    interface Cancellable {
        void cancel();
    }
}
