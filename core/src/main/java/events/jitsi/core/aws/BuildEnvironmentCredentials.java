package events.jitsi.core.aws;

import events.jitsi.core.InvalidInputException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.util.Map;

/**
 * The AWS keys a Jenkins build puts in its own environment ({@code withAWS}, {@code withCredentials([aws...])}), as
 * opposed to the controller's process environment, which the SDK's default chain would read instead.
 */
public final class BuildEnvironmentCredentials {
    public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";

    private BuildEnvironmentCredentials() {
    }

    /**
     * The keys of {@code environment}, or null when it names none. Half a pair is bad input (named by variable, never by
     * value): calling AWS as someone else would be worse than stopping.
     */
    public static StaticCredentialsProvider from(Map<String, String> environment) {
        String id = blankToNull(environment.get(ACCESS_KEY_ID));
        String secret = blankToNull(environment.get(SECRET_ACCESS_KEY));
        String token = blankToNull(environment.get(SESSION_TOKEN));
        if (id == null && secret == null) {
            return null;
        }
        if (id == null || secret == null) {
            throw new InvalidInputException("The build's environment sets " + (id == null ? SECRET_ACCESS_KEY : ACCESS_KEY_ID) + " but not "
                    + (id == null ? ACCESS_KEY_ID : SECRET_ACCESS_KEY) + ": set both (withAWS or withCredentials do), or give the step a credentialsId.");
        }
        AwsCredentials credentials = token == null ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token);
        return StaticCredentialsProvider.create(credentials);
    }

    /** What the log may say about them: which variables, never their values. */
    public static String describe(Map<String, String> environment) {
        return "the build's " + ACCESS_KEY_ID + "/" + SECRET_ACCESS_KEY
                + (blankToNull(environment.get(SESSION_TOKEN)) == null ? "" : "/" + SESSION_TOKEN) + " (withAWS or withCredentials)";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
