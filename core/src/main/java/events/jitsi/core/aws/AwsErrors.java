package events.jitsi.core.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Set;

/** What an AWS error means for a check: the endpoint cannot answer at all, or AWS refused, said in one line. */
public final class AwsErrors {
    private static final Set<String> UNKNOWN_OPERATION = Set.of("UnknownOperationException", "InvalidAction", "UnknownOperation",
            "NotImplemented");

    private AwsErrors() {
    }

    /**
     * Why the endpoint cannot answer at all, when that is what {@code e} says, else null: it does not know the operation
     * (UnknownOperationException), or its answer is not an error of that service's protocol (an endpoint that speaks
     * only ECS, such as the simulator, asked for EC2 or Route 53). An AWS error proper (AccessDenied, throttling, a 5xx)
     * is not this: a check that meets it could not run.
     */
    public static String notServed(SdkException e) {
        if (!(e instanceof AwsServiceException ase)) {
            return null;
        }
        var details = ase.awsErrorDetails();
        String service = details == null || details.serviceName() == null ? "this service" : details.serviceName();
        String code = details == null ? null : details.errorCode();
        if (code != null && UNKNOWN_OPERATION.contains(code)) {
            return "the endpoint does not answer this " + service + " call (" + code + ")";
        }
        if ((code == null || code.isBlank()) && Set.of(400, 404, 405, 501).contains(ase.statusCode())) {
            return "the endpoint does not answer " + service + " (HTTP " + ase.statusCode() + ", not an error of " + service + "'s protocol)";
        }
        return null;
    }

    /** "Ecs answered HTTP 403 AccessDeniedException: ...", or the client's own message. */
    public static String describe(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            var details = ase.awsErrorDetails();
            return details.serviceName() + " answered HTTP " + ase.statusCode()
                    + (details.errorCode() != null ? " " + details.errorCode() + ": " + details.errorMessage() : "");
        }
        return e.getMessage();
    }
}
