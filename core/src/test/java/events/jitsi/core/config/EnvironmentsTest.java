package events.jitsi.core.config;

import events.jitsi.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentsTest {
    @Test
    void theDefaultIsTheSeedTopology() {
        Environments e = Environments.defaults();
        assertThat(e.environments().keySet()).containsExactly("staging", "production");
        assertThat(e.environment("staging").cluster()).isEqualTo("jitsi-staging-cluster");
        assertThat(e.environment("staging").efsFileSystemId()).isEqualTo("fs-bce67e88");
        assertThat(e.environment("production").cluster()).isEqualTo("jitsi-cluster");
        assertThat(e.environment("production").efsFileSystemId()).isEqualTo("fs-b61d8482");
        assertThat(e.environment("production").services().keySet()).containsExactly("jitsi", "matrix");
        assertThat(e.environment("production").service("matrix").serviceName()).isEqualTo("matrix");
    }

    @Test
    void theSharedLibraryShipsTheSameFile() throws Exception {
        Path shipped = Path.of("..", "resources", "events", "jitsi", "environments.yaml");
        try (var in = Environments.class.getResourceAsStream(Environments.DEFAULT_RESOURCE)) {
            assertThat(new String(in.readAllBytes())).isEqualTo(Files.readString(shipped));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            environments: {}                                                                            | environments: must name at least one environment
            environments: {staging: {region: eu-central-1, services: {}}}                               | environments.staging.cluster: is missing
            environments: {staging: {region: eu-central-1, cluster: c, services: {}, clutser: x}}       | environments.staging.clutser: unknown key
            environments: {staging: {region: eu-central-1, cluster: c, efsFileSystemId: efs1, services: {}}} | environments.staging.efsFileSystemId: 'efs1' is not an EFS file system id
            environments: {staging: {region: eu-central-1, cluster: c, services: {jitsi: {urls: [x]}}}} | environments.staging.services.jitsi.urls: 'x' is not an http(s) URL
            environments: {staging: {region: eu-central-1, cluster: c, services: {jitsi: {urls: []}}}}  | environments.staging.services.jitsi.service: is missing
            '{environments: {staging: {region: eu-central-1, cluster: c, services: {}}}, promotion: {jitsi: {environmentVariables: X}}}' | promotion.jitsi.environmentVariables: must be a list
            promotion: {}                                                                               | environments: is missing
            environments: {staging: {region: eu-central-1, cluster: c, services: {jitsi: {service: 'arn:aws:ecs:eu-central-1:1:service/other/jitsi'}}}} | environments.staging.services.jitsi.service: The service ARN arn:aws:ecs:eu-central-1:1:service/other/jitsi is in cluster other, not in c
            'environments: ['                                                                           | is not valid YAML
            """)
    void aBadFileNamesTheFileAndTheKey(String yaml, String expected, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("environments.yaml");
        Files.writeString(file, yaml);
        assertThatThrownBy(() -> Environments.load(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(expected);
    }

    @Test
    void unknownEnvironmentsAndServicesAreBadInput() {
        Environments e = Environments.defaults();
        assertThatThrownBy(() -> e.environment("qa")).hasMessageContaining("no environment 'qa'").hasMessageContaining("staging, production");
        assertThatThrownBy(() -> e.environment("staging").service("etherpad")).hasMessageContaining("has: jitsi, matrix");
    }

    @Test
    void aServiceGivenAsAnArnIsKnownByItsName() {
        Environments e = Environments.parse("test", "environments: {production: {region: eu-central-1, cluster: jitsi-cluster, services: "
                + "{jitsi: {service: 'arn:aws:ecs:eu-central-1:123456789012:service/jitsi-cluster/jitsi'}}}}");
        assertThat(e.environment("production").service("jitsi").serviceName()).isEqualTo("jitsi");
    }
}
