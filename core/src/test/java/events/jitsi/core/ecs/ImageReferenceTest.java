package events.jitsi.core.ecs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Docker's reference grammar, on the forms operators write and the mistakes they make. */
class ImageReferenceTest {
    @ParameterizedTest
    @ValueSource(strings = {"jitsi/web", "jitsi/web:stable-10133", "web", "matrixdotorg/synapse:v1.120.0", "vectorim/element-web:v1.11.85",
            "registry.example.org:5000/team/jitsi/web:1", "123456789012.dkr.ecr.eu-central-1.amazonaws.com/jitsi-web:latest",
            "localhost:5000/a__b/c--d:e.f-g_h", "jitsi/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "[::1]:5000/jitsi/web:1", "Registry.Example.org/jitsi/web"})
    void referencesDockerTakes(String image) {
        assertThat(ImageReference.problem(image)).as(image).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "jitsi/web x", "Jitsi/web", "jitsi/Web:1", "jitsi/web:", "jitsi/web@", "jitsi/web:-tag", "jitsi//web",
            "jitsi/web@sha256:abc", "jitsi/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", "/jitsi/web",
            "jitsi/web:tag\n", "jitsi/web:a:b", "-jitsi/web"})
    void referencesDockerRefuses(String image) {
        assertThat(ImageReference.problem(image)).as(image).isNotNull();
    }
}
