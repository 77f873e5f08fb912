package events.jitsi.core.ecs;

import java.time.Duration;

/** Wait for one deployment of a service; a null {@code deploymentId} means the PRIMARY one when the wait starts. */
public record WaitRequest(String cluster, String service, String deploymentId, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    public WaitRequest {
        service = ServiceRef.shortName(cluster, service);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }
}
