package events.jitsi.core.pipeline;

/** How a step reaches ECS: region, the Jenkins credentials id of AWS keys or a role, and an endpoint override. */
public record AwsAccess(String region, String credentialsId, String endpointUrl) {
}
