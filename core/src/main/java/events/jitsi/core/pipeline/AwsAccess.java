package events.jitsi.core.pipeline;

/**
 * How a step reaches AWS: region, the Jenkins credentials id of AWS keys or a role, and an endpoint override; each
 * null (or blank) for the default: the build's region, the build's or the controller's credentials, AWS itself.
 */
public record AwsAccess(String region, String credentialsId, String endpointUrl) {
    public static final AwsAccess DEFAULT = new AwsAccess(null, null, null);

    public AwsAccess {
        region = StepArguments.blankToNull(region);
        credentialsId = StepArguments.blankToNull(credentialsId);
        endpointUrl = StepArguments.blankToNull(endpointUrl);
    }
}
