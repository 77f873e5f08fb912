package events.jitsi.core.ecs;

import java.util.Map;

/**
 * What to point a service at. Exactly one way to choose the task definition may be given: {@code revision} (of the
 * family the service runs now), {@code taskDefinition} (family:revision or an ARN) or {@code images} (container name to
 * image: a new revision of the current definition with those images); with none, the service keeps its task definition
 * and {@code forceNewDeployment} or {@code desiredCount} must change something.
 *
 * <p>{@code allowFamilyChange}: a task definition of another family than the service runs is refused without it (the
 * families hold each environment's own EFS, secrets and roles). {@code replaceDeploymentInProgress}: a deploy while
 * another deployment of the service is still rolling out is refused without it (it would silently replace it).
 */
public record DeployRequest(String cluster, String service, Integer revision, String taskDefinition,
                            Map<String, String> images, boolean forceNewDeployment, Integer desiredCount,
                            boolean allowFamilyChange, boolean replaceDeploymentInProgress) {

    public DeployRequest {
        service = ServiceRef.shortName(cluster, service);
        images = images == null ? Map.of() : Map.copyOf(images);
    }

    public DeployRequest(String cluster, String service, Integer revision, String taskDefinition, Map<String, String> images,
                         boolean forceNewDeployment, Integer desiredCount) {
        this(cluster, service, revision, taskDefinition, images, forceNewDeployment, desiredCount, false, false);
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
        return new DeployRequest(cluster, service, revision, taskDefinition, images, force, desiredCount, allowFamilyChange,
                replaceDeploymentInProgress);
    }

    public DeployRequest allowingFamilyChange(boolean allow) {
        return new DeployRequest(cluster, service, revision, taskDefinition, images, forceNewDeployment, desiredCount, allow,
                replaceDeploymentInProgress);
    }

    public DeployRequest replacingDeploymentInProgress(boolean replace) {
        return new DeployRequest(cluster, service, revision, taskDefinition, images, forceNewDeployment, desiredCount,
                allowFamilyChange, replace);
    }

    /** True when the request chooses nothing and changes nothing: a usage error, not a no-op. */
    boolean asksForNothing() {
        return revision == null && taskDefinition == null && images.isEmpty() && !forceNewDeployment && desiredCount == null;
    }
}
