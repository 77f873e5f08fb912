package events.jitsi.core.time;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Wall-clock time over a {@link ScheduledExecutorService}; one thread serves every wait by default. */
public final class RealScheduler implements Scheduler, AutoCloseable {
    private final ScheduledExecutorService executor;
    private final boolean owned;

    public RealScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
        this.owned = false;
    }

    public RealScheduler() {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "events-jitsi-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.owned = true;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public void close() {
        if (owned) {
            executor.shutdownNow();
        }
    }
}
