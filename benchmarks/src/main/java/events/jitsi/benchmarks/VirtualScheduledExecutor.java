package events.jitsi.benchmarks;

import events.jitsi.core.time.Scheduler;
import events.jitsi.core.time.VirtualTime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets the SDK's async waiter sleep in simulated time: its delays between attempts go to {@link VirtualTime}, so the
 * baseline runs with its real default configuration (15 s between attempts, 40 attempts) in a moment.
 */
final class VirtualScheduledExecutor extends AbstractExecutorService implements ScheduledExecutorService {
    private final VirtualTime time;

    VirtualScheduledExecutor(VirtualTime time) {
        this.time = time;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(() -> {
            command.run();
            return null;
        }, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        CompletableFuture<V> result = new CompletableFuture<>();
        long due = time.instant().toEpochMilli() + unit.toMillis(delay);
        Scheduler.Cancellable handle = time.schedule(Duration.ofMillis(unit.toMillis(delay)), () -> {
            try {
                result.complete(callable.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return new ScheduledFuture<>() {
            @Override
            public long getDelay(TimeUnit u) {
                return u.convert(due - time.instant().toEpochMilli(), TimeUnit.MILLISECONDS);
            }

            @Override
            public int compareTo(Delayed o) {
                return Long.compare(getDelay(TimeUnit.MILLISECONDS), o.getDelay(TimeUnit.MILLISECONDS));
            }

            @Override
            public boolean cancel(boolean mayInterrupt) {
                handle.cancel();
                return result.cancel(mayInterrupt);
            }

            @Override
            public boolean isCancelled() {
                return result.isCancelled();
            }

            @Override
            public boolean isDone() {
                return result.isDone();
            }

            @Override
            public V get() throws InterruptedException, ExecutionException {
                return result.get();
            }

            @Override
            public V get(long timeout, TimeUnit u) throws InterruptedException, ExecutionException, TimeoutException {
                return result.get(timeout, u);
            }
        };
    }

    @Override
    public void execute(Runnable command) {
        time.schedule(Duration.ZERO, command);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("the waiter does not repeat tasks");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the waiter does not repeat tasks");
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
