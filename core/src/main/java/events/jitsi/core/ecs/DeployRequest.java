package events.jitsi.core.ecs;

import java.util.Map;

/**
 * What to point a service at. Exactly one way to choose the task definition may be given: {@code revision} (of the
 * family the service runs now), {@code taskDefinition} (family:revision or an ARN) or {@code images} (container name to
 * image: a new revision of the current definition with those images); with none, the service keeps its task definition
 * and only {@code forceNewDeployment} or {@code desiredCount} can change anything.
 */
public record DeployRequest(String cluster, String service, Integer revision, String taskDefinition,
                            Map<String, String> images, boolean forceNewDeployment, Integer desiredCount) {

    public DeployRequest {
        service = ServiceRef.shortName(cluster, service);
        images = images == null ? Map.of() : Map.copyOf(images);
    }

    public static DeployRequest ofRevision(String cluster, String service, int revision) {
        return new DeployRequest(cluster, service, revision, null, null, false, null);
    }

    public static DeployRequest ofTaskDefinition(String cluster, String service, String taskDefinition) {
        return new DeployRequest(cluster, service, null, taskDefinition, null, false, null);
    }

    public static DeployRequest ofImages(String cluster, String service, Map<String, String> images) {
        return new DeployRequest(cluster, service, null, null, images, false, null);
    }

    public DeployRequest withForceNewDeployment(boolean force) {
        return new DeployRequest(cluster, service, revision, taskDefinition, images, force, desiredCount);
    }
}
