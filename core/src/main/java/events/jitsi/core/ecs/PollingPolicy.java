package events.jitsi.core.ecs;

import java.time.Duration;

/**
 * How often a wait asks ECS. After a deployment starts it polls every {@code initial}; each poll that shows no
 * progress multiplies the interval by {@code backoff} up to {@code max}. Once the end is near (the new tasks run and
 * the old ones drain) or tasks are failing, it polls every {@code fast}, so completion and failure are seen quickly
 * without paying for fast polls during a long image pull.
 *
 * <p>{@code placementStall}: how long a rollout may make no progress while ECS says it is unable to place a task (no
 * instance with room or a free host port) before the wait fails; ECS itself never fails such a rollout.
 */
public record PollingPolicy(Duration initial, double backoff, Duration max, Duration fast, Duration placementStall) {
    public static final Duration DEFAULT_PLACEMENT_STALL = Duration.ofMinutes(5);

    public static PollingPolicy defaults() {
        return new PollingPolicy(Duration.ofSeconds(5), 2.0, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    public PollingPolicy(Duration initial, double backoff, Duration max, Duration fast) {
        this(initial, backoff, max, fast, DEFAULT_PLACEMENT_STALL);
    }

    public PollingPolicy {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || fast.isNegative() || fast.isZero() || backoff < 1
                || placementStall.isNegative() || placementStall.isZero()) {
            throw new IllegalArgumentException("polling intervals and the placement stall must be positive, max >= initial, backoff >= 1");
        }
    }

    Duration next(Duration current, boolean progressed) {
        if (progressed) {
            return initial;
        }
        long millis = (long) Math.min(max.toMillis(), current.toMillis() * backoff);
        return Duration.ofMillis(Math.max(millis, initial.toMillis()));
    }
}
