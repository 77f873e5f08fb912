package events.jitsi.core.ecs;

import java.time.Duration;

/**
 * How often a wait asks ECS. After a deployment starts it polls every {@code initial}; each poll that shows no
 * progress multiplies the interval by {@code backoff} up to {@code max}. Once the end is near (the new tasks run and
 * the old ones drain) or tasks are failing, it polls every {@code fast}, so completion and failure are seen quickly
 * without paying for fast polls during a long image pull.
 */
public record PollingPolicy(Duration initial, double backoff, Duration max, Duration fast) {
    public static PollingPolicy defaults() {
        return new PollingPolicy(Duration.ofSeconds(5), 2.0, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    public PollingPolicy {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || fast.isNegative() || fast.isZero() || backoff < 1) {
            throw new IllegalArgumentException("polling intervals must be positive, max >= initial, backoff >= 1");
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
