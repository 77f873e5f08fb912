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
    void theDefaultDescribesTheInstallationAsTheSeedNotesDoAndMarksWhatTheyDoNotSay() {
        Environments e = Environments.defaults();
        Installation production = e.environment("production").installation();
        assertThat(production.capacity().instanceTypes()).containsExactly("c5.xlarge");
        assertThat(production.capacity().scaling()).isEqualTo(new Installation.Scaling(75, 25));
        assertThat(production.capacity().scaleInProtection().atLeast()).isEqualTo(1);
        assertThat(production.storage().name()).isEqualTo("jitsi-matrix-efs");
        assertThat(production.loadBalancer().routes()).containsExactly(new Installation.Route("element.virtual.software.bz.it", "example-element", 8080));
        assertThat(production.dns().records()).containsExactly(new Installation.DnsRecord("element.virtual.software.bz.it", "loadBalancer"));
        Installation staging = e.environment("staging").installation();
        assertThat(staging.capacity().instanceTypes()).containsExactly("c5a.large");
        assertThat(staging.capacity().scaling().none()).isTrue();
        assertThat(staging.storage().name()).isEqualTo("jitsi-matrix-efs-staging");
        // Names the seed notes do not give are placeholders, which verification skips.
        assertThat(Installation.isPlaceholder(production.capacity().autoScalingGroup())).isTrue();
        assertThat(Installation.isPlaceholder(production.loadBalancer().name())).isTrue();
        assertThat(Installation.isPlaceholder("element.virtual.software.bz.it")).isFalse();
        assertThat(Installation.isPlaceholder("element-staging.example.org.")).isTrue();
    }

    @Test
    void aFileWithoutTheInstallationSectionsChecksNoneOfThem() {
        Environments e = Environments.parse("test", "environments: {staging: {region: eu-central-1, cluster: c, services: {}}}");
        assertThat(e.environment("staging").installation()).isEqualTo(new Installation(null, null, null, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            capacity: {instanceTypes: [c5x large]}                                   | environments.p.capacity.instanceTypes: 'c5x large' is not an EC2 instance type
            capacity: {scaling: sometimes}                                           | environments.p.capacity.scaling: must be none or a mapping with scaleOutAtCpu and scaleInAtCpu
            capacity: {scaling: {scaleOutAtCpu: 175, scaleInAtCpu: 25}}              | environments.p.capacity.scaling.scaleOutAtCpu: must be a whole percentage, 0 to 100
            capacity: {scaling: {scaleOutAtCpu: 75}}                                 | environments.p.capacity.scaling.scaleInAtCpu: is missing
            capacity: {scaling: {scaleOutAtCpu: 25, scaleInAtCpu: 75}}               | environments.p.capacity.scaling: scaleInAtCpu (75) must be below scaleOutAtCpu (25)
            capacity: {scaleInProtection: {atLeast: -1}}                             | environments.p.capacity.scaleInProtection.atLeast: must be a whole number, 0 or more
            capacity: {scaleInProtection: {instancesRunning: [etherpad]}}            | environments.p.capacity.scaleInProtection.instancesRunning: 'etherpad' is not a service of this environment; it has: jitsi
            capacity: {autoScalingGrup: x}                                           | environments.p.capacity.autoScalingGrup: unknown key
            storage: {name: jitsi-matrix-efs}                                        | environments.p.storage: needs efsFileSystemId
            loadBalancer: {name: alb, routes: [{host: h, targetGroup: t, port: 0}]}  | environments.p.loadBalancer.routes[0].port: must be a port number, 1 to 65535
            loadBalancer: {name: alb, routes: [{host: h, port: 80}]}                 | environments.p.loadBalancer.routes[0].targetGroup: is missing
            dns: {zone: z, records: [{name: a.z, cname: loadBalancer}]}              | environments.p.dns.records[0].cname: is loadBalancer, but environments.p has no loadBalancer section naming it
            dns: {records: []}                                                       | environments.p.dns.zone: is missing
            """)
    void aBadInstallationSectionNamesTheFileAndTheKey(String section, String expected) {
        String yaml = "environments: {p: {region: eu-central-1, cluster: c, services: {jitsi: {service: jitsi}}, " + section + "}}";
        assertThatThrownBy(() -> Environments.parse("envs.yaml", yaml)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("envs.yaml: ").hasMessageContaining(expected);
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

    private static final String STAGING = """
            environments:
              staging:
                region: eu-central-1
                cluster: jitsi-staging-cluster
                services:
                  jitsi: {service: jitsi}
            """;

    @Test
    void aKeyGivenTwiceIsRefusedWithBothLinesAtEveryLevel() {
        assertThatThrownBy(() -> Environments.parse("envs.yaml", STAGING.replace("    cluster: jitsi-staging-cluster\n",
                "    cluster: jitsi-staging-cluster\n    cluster: jitsi-cluster\n")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("envs.yaml: environments.staging.cluster: is given twice, on lines 4 and 5; give each key once (the last would "
                        + "silently win).");
        assertThatThrownBy(() -> Environments.parse("envs.yaml", STAGING + STAGING))
                .hasMessageStartingWith("envs.yaml: environments: is given twice, on lines 1 and 7");
        assertThatThrownBy(() -> Environments.parse("envs.yaml", STAGING.replace("{service: jitsi}", "{service: jitsi, service: matrix}")))
                .hasMessageStartingWith("envs.yaml: environments.staging.services.jitsi.service: is given twice, on lines 6 and 6");
    }

    @Test
    void anchorsAndAliasesAreRefusedNotTakenForText() {
        String withAlias = STAGING.replace("region: eu-central-1", "region: &r eu-central-1") + "  production:\n    region: *r\n"
                + "    cluster: jitsi-cluster\n    services: {jitsi: {service: jitsi}}\n";
        assertThatThrownBy(() -> Environments.parse("envs.yaml", withAlias)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("envs.yaml: line 3: the anchor &r is not allowed");
        assertThatThrownBy(() -> Environments.parse("envs.yaml", STAGING.replace("region: eu-central-1", "region: *r")))
                .hasMessageStartingWith("envs.yaml: line 3: the alias *r is not allowed");
    }

    @Test
    void onlyARegularFileOfAtMostOneMebibyteIsRead(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Environments.load(Path.of("/dev/zero"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("/dev/zero is not a regular file");
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> Environments.load(fifo)).hasMessageContaining("is not a regular file (a folder, FIFO or device)");
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, STAGING + "#" + "x".repeat(Environments.MAX_BYTES));
        assertThatThrownBy(() -> Environments.load(big)).hasMessageContaining("the limit is 1048576 (1 MiB)");
        Path fine = dir.resolve("envs.yaml");
        Files.writeString(fine, STAGING);
        assertThat(Environments.load(fine).environment("staging").cluster()).isEqualTo("jitsi-staging-cluster");
    }

    @Test
    void theHostSectionsHaveDefaultsAndRefuseWhatCannotWork() {
        Environments.Environment plain = Environments.parse("envs.yaml", STAGING).environment("staging");
        assertThat(plain.xmpp()).isNull();
        assertThat(plain.watermark()).isEqualTo(new Environments.Watermark("jitsi", "web", "/mnt/efs/fs1/jitsi/jitsi-meet/images"));

        Environments.Environment configured = Environments.parse("envs.yaml", STAGING
                + "    xmpp: {endpoint: wss://meet-staging.example.org/xmpp-websocket, admin: prosody-admin}\n"
                + "    watermark: {dir: /mnt/efs/fs1/other/images, container: jitsi-web}\n").environment("staging");
        assertThat(configured.xmpp()).isEqualTo(new Environments.Xmpp("wss://meet-staging.example.org/xmpp-websocket", "meet.jitsi", "prosody-admin"));
        assertThat(configured.watermark()).isEqualTo(new Environments.Watermark("jitsi", "jitsi-web", "/mnt/efs/fs1/other/images"));

        assertThatThrownBy(() -> Environments.parse("envs.yaml", STAGING + "    xmpp: {endpoint: ws://meet.example.org/xmpp-websocket, admin: a}\n"))
                .hasMessageContaining("envs.yaml: environments.staging.xmpp.endpoint:").hasMessageContaining("is not encrypted");
        assertThatThrownBy(() -> Environments.parse("envs.yaml", STAGING + "    xmpp: {endpoint: wss://meet.example.org/xmpp-websocket}\n"))
                .hasMessageContaining("environments.staging.xmpp.admin");
        assertThatThrownBy(() -> Environments.parse("envs.yaml", STAGING + "    watermark: {service: etherpad}\n"))
                .hasMessageContaining("environments.staging.watermark.service: 'etherpad' is not one of this environment's services (jitsi)");
        assertThatThrownBy(() -> Environments.parse("envs.yaml", STAGING + "    watermark: {dir: ../images}\n"))
                .hasMessageContaining("environments.staging.watermark.dir: must be an absolute folder");
        assertThatThrownBy(() -> Environments.parse("envs.yaml", STAGING + "    watermark: {folder: /x}\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("folder");
    }
}
