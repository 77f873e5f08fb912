package events.jitsi.core.ecs;

import java.time.Duration;
import java.time.Instant;

/**
 * Wait for one deployment of a service; a null {@code deploymentId} means the PRIMARY one when the wait starts.
 * A wait resumed after a restart gives {@code startedAt}, when the first run began (its result's elapsed time counts
 * from there), and {@code shown}, the service events already printed; both are null for a new wait.
 */
public record WaitRequest(String cluster, String service, String deploymentId, Duration timeout, Instant startedAt,
                          EventCursor shown) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    public WaitRequest {
        service = ServiceRef.shortName(cluster, service);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    public WaitRequest(String cluster, String service, String deploymentId, Duration timeout) {
        this(cluster, service, deploymentId, timeout, null, null);
    }
}
