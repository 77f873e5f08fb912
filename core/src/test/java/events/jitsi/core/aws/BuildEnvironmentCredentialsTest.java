package events.jitsi.core.aws;

import events.jitsi.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuildEnvironmentCredentialsTest {
    @Test
    void noKeysInTheBuildMeansNone() {
        assertThat(BuildEnvironmentCredentials.from(Map.of("AWS_REGION", "eu-central-1"))).isNull();
    }

    @Test
    void keysAndSessionTokenOfTheBuildAreUsed() {
        var provider = BuildEnvironmentCredentials.from(Map.of("AWS_ACCESS_KEY_ID", "AKIDBUILD", "AWS_SECRET_ACCESS_KEY", "build-secret",
                "AWS_SESSION_TOKEN", "token"));
        assertThat(provider.resolveCredentials()).isInstanceOf(AwsSessionCredentials.class)
                .satisfies(c -> assertThat(c.accessKeyId()).isEqualTo("AKIDBUILD"))
                .satisfies(c -> assertThat(c.secretAccessKey()).isEqualTo("build-secret"));
        assertThat(BuildEnvironmentCredentials.describe(Map.of("AWS_SESSION_TOKEN", "token")))
                .isEqualTo("the build's AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN (withAWS or withCredentials)")
                .doesNotContain("token)");
    }

    @Test
    void halfAPairIsRefusedWithoutShowingAValue() {
        assertThatThrownBy(() -> BuildEnvironmentCredentials.from(Map.of("AWS_ACCESS_KEY_ID", "AKIDHALF")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sets AWS_ACCESS_KEY_ID but not AWS_SECRET_ACCESS_KEY").hasMessageNotContaining("AKIDHALF");
    }
}
