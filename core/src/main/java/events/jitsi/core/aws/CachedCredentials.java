package events.jitsi.core.aws;

import events.jitsi.core.InvalidInputException;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Asks a credentials source once and reuses the answer until shortly before it expires. Some sources do real work
 * on every call: a Jenkins "AWS Credentials" entry with an IAM role builds an STS client and calls AssumeRole each
 * time the SDK asks, which the SDK does for every request, so a wait polling every few seconds would assume the role
 * hundreds of times. The lifetime is the one the credentials carry, else the one the caller knows (the role
 * session's duration), else {@code lifetime}.
 */
public final class CachedCredentials implements AwsCredentialsProvider {
    private static final Duration MAX_MARGIN = Duration.ofMinutes(5);

    private final String description;
    private final AwsCredentialsProvider source;
    private final Duration lifetime;
    private final Clock clock;
    private AwsCredentials cached;
    private Instant refreshAt;

    /**
     * @param description what the source is, for the error when it gives no keys (e.g. "the AWS credential 'aws-prod'")
     * @param lifetime    how long an answer without an expiry of its own is good for
     */
    public CachedCredentials(String description, AwsCredentialsProvider source, Duration lifetime, Clock clock) {
        this.description = description;
        this.source = source;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    @Override
    public synchronized AwsCredentials resolveCredentials() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(refreshAt)) {
            AwsCredentials fresh = source.resolveCredentials();
            if (fresh == null) {
                throw new InvalidInputException(description + " gives no AWS keys: give it an access key and secret key, "
                        + "or an IAM role to assume.");
            }
            Instant expires = fresh.expirationTime().orElse(now.plus(lifetime));
            Duration valid = Duration.between(now, expires);
            Duration margin = valid.dividedBy(4).compareTo(MAX_MARGIN) < 0 ? valid.dividedBy(4) : MAX_MARGIN;
            cached = fresh;
            refreshAt = expires.minus(margin);
        }
        return cached;
    }

    @Override
    public String toString() {
        return "CachedCredentials(" + description + ")";
    }
}
