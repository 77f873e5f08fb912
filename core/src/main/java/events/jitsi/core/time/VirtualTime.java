package events.jitsi.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated time: a clock that only moves when the next scheduled task is due, so a 30-minute wait runs in
 * milliseconds and every run takes the same simulated path. Used by the tests, the demo and the benchmark; the
 * engine cannot tell it from {@link RealScheduler}.
 */
public final class VirtualTime extends Clock implements Scheduler {
    private record Entry(Instant at, long order, Runnable task) {
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> {
        int c = a.at.compareTo(b.at);
        return c != 0 ? c : Long.compare(a.order, b.order);
    });
    private final AtomicLong order = new AtomicLong();
    private volatile Instant now;

    public VirtualTime(Instant start) {
        this.now = start;
    }

    @Override
    public Clock clock() {
        return this;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("virtual time is UTC");
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Entry e = new Entry(now.plus(delay.isNegative() ? Duration.ZERO : delay), order.incrementAndGet(), task);
        queue.add(e);
        notifyAll();
        return () -> {
            synchronized (VirtualTime.this) {
                queue.remove(e);
            }
        };
    }

    /** Moves the clock forward, running every task that falls due on the way. */
    public void advance(Duration duration) {
        Instant until = now.plus(duration);
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at.isAfter(until)) {
                    now = until;
                    return;
                }
                queue.poll();
                if (next.at.isAfter(now)) {
                    now = next.at;
                }
            }
            next.task.run();
        }
    }

    /**
     * Runs scheduled tasks in time order until {@code future} completes. When nothing is scheduled yet (work is
     * in flight on another thread, e.g. an async HTTP call), it waits in real time for that work to schedule more.
     */
    @Override
    public <T> T await(CompletableFuture<T> future) {
        long realDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!future.isDone()) {
            Entry next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    if (System.nanoTime() > realDeadline) {
                        throw new IllegalStateException("nothing scheduled and the awaited work did not complete");
                    }
                    try {
                        wait(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    continue;
                }
                if (next.at.isAfter(now)) {
                    now = next.at;
                }
            }
            next.task.run();
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
