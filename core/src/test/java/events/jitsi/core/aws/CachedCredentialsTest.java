package events.jitsi.core.aws;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.time.VirtualTime;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachedCredentialsTest {
    private final VirtualTime time = new VirtualTime(Instant.parse("2026-11-29T09:00:00Z"));
    private final AtomicInteger asked = new AtomicInteger();

    /** A source that does an AssumeRole-like round trip on every call. */
    private AwsCredentialsProvider source(Duration sessionLength) {
        return () -> {
            int n = asked.incrementAndGet();
            return sessionLength == null ? AwsBasicCredentials.create("AKID" + n, "secret" + n)
                    : AwsSessionCredentials.builder().accessKeyId("ASIA" + n).secretAccessKey("secret" + n).sessionToken("token" + n)
                    .expirationTime(time.instant().plus(sessionLength)).build();
        };
    }

    @Test
    void manyRequestsAskTheSourceOnceUntilShortlyBeforeTheLifetimeEnds() {
        CachedCredentials cached = new CachedCredentials("the AWS credential 'aws-prod'", source(null), Duration.ofHours(1), time);
        for (int i = 0; i < 500; i++) {
            cached.resolveCredentials();
        }
        assertThat(asked).hasValue(1);
        time.advance(Duration.ofMinutes(54));
        assertThat(cached.resolveCredentials().accessKeyId()).isEqualTo("AKID1");
        time.advance(Duration.ofMinutes(1));
        assertThat(cached.resolveCredentials().accessKeyId()).as("refreshed 5 minutes before the end").isEqualTo("AKID2");
        assertThat(asked).hasValue(2);
    }

    @Test
    void anExpiryCarriedByTheCredentialsWins() {
        CachedCredentials cached = new CachedCredentials("a role", source(Duration.ofMinutes(15)), Duration.ofHours(1), time);
        cached.resolveCredentials();
        time.advance(Duration.ofMinutes(11));
        assertThat(cached.resolveCredentials().accessKeyId()).isEqualTo("ASIA1");
        time.advance(Duration.ofSeconds(45));
        assertThat(cached.resolveCredentials().accessKeyId()).as("a quarter of 15 minutes before expiry").isEqualTo("ASIA2");
    }

    @Test
    void aSourceWithoutKeysIsAClearError() {
        CachedCredentials cached = new CachedCredentials("the AWS credential 'empty'", () -> null, Duration.ofHours(1), time);
        assertThatThrownBy(cached::resolveCredentials).isInstanceOf(InvalidInputException.class)
                .hasMessage("the AWS credential 'empty' gives no AWS keys: give it an access key and secret key, or an IAM role to assume.");
    }
}
