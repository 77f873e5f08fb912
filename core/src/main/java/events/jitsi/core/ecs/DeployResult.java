package events.jitsi.core.ecs;

/**
 * What a deploy did. {@code changed} is false for a no-op (the service already ran it); {@code registeredRevision}
 * is true when the deploy registered a new revision (image mode); {@code deploymentId} is the service's PRIMARY
 * deployment after the call, the one to wait for. */
public record DeployResult(String cluster, String service, String previousTaskDefinitionArn, String taskDefinitionArn,
                           String deploymentId, boolean changed, boolean registeredRevision) {
}
