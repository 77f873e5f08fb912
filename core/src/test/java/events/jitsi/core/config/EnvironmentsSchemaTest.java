package events.jitsi.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import events.jitsi.core.InvalidInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JSON Schema the shared library ships for editors (resources/events/jitsi/environments.schema.json) says what the
 * parser says: a file one accepts the other accepts, a file of the wrong shape both refuse. What only the parser can
 * check (relations between keys) is listed here, so the schema's description stays true.
 */
class EnvironmentsSchemaTest {
    private static final Path SCHEMA = Path.of("..", "resources", "events", "jitsi", "environments.schema.json");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String BASE = "environments: {p: {region: eu-central-1, cluster: c, services: {jitsi: {service: jitsi}}, ";
    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(Files.readString(SCHEMA));
    }

    private static List<Error> schemaErrors(String yaml) throws Exception {
        JsonNode document = YAML.readTree(yaml);
        return schema.validate(document);
    }

    @Test
    void theSchemaIsAValidDraft7Schema() throws Exception {
        Schema metaSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of("http://json-schema.org/draft-07/schema#"));
        assertThat(metaSchema.validate(new ObjectMapper().readTree(Files.readString(SCHEMA)))).isEmpty();
    }

    @Test
    void theShippedEnvironmentsFileFollowsIt() throws Exception {
        String shipped = Files.readString(Path.of("..", "resources", "events", "jitsi", "environments.yaml"));
        assertThat(schemaErrors(shipped)).isEmpty();
        Environments.parse("shipped", shipped);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "environments: {staging: {cluster: jitsi-staging-cluster, services: {}}}",
            "environments: {staging: {region: null, cluster: c, efsFileSystemId: fs-bce67e88, services: {jitsi: {service: jitsi, urls: ['https://ops:secret@meet.example.org/']}}}}",
            "environments: {p: {cluster: jitsi-cluster, services: {jitsi: {service: 'arn:aws:ecs:eu-central-1:123456789012:service/jitsi-cluster/jitsi'}}}}",
            BASE + "capacity: {autoScalingGroup: asg, instanceTypes: [c5.xlarge, c5a.large], scaling: none, scaleInProtection: {atLeast: 1, instancesRunning: [jitsi]}}}}",
            BASE + "capacity: {scaling: {scaleOutAtCpu: 75, scaleInAtCpu: 25}}}}",
            BASE + "efsFileSystemId: fs-b61d8482, storage: {name: jitsi-matrix-efs}}}",
            BASE + "loadBalancer: {name: alb, routes: [{host: h, targetGroup: t, port: 8080}]}, dns: {zone: z, records: [{name: a.z, cname: loadBalancer}]}}}",
            BASE + "xmpp: {endpoint: 'wss://meet.example.org/xmpp-websocket', domain: meet.jitsi, admin: prosody-admin}, watermark: {service: jitsi, container: web, dir: /mnt/efs/fs1/x}}}",
            BASE + "xmpp: {endpoint: 'ws://127.0.0.1:5280/xmpp-websocket', admin: a}}}",
            "{environments: {p: {cluster: c, services: {}}}, promotion: {jitsi: {environmentVariables: [PUBLIC_URL], ignoreContainers: [jvb]}}}",
    })
    void aFileTheParserAcceptsFollowsTheSchema(String yaml) throws Exception {
        Environments.parse("test", yaml);
        assertThat(schemaErrors(yaml)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "environments: {}",
            "promotion: {}",
            "environments: {staging: {region: eu-central-1, services: {}}}",
            "environments: {staging: {cluster: c, services: {}, clutser: x}}",
            "environments: {staging: {cluster: c}}",
            "environments: {staging: {cluster: '  ', services: {}}}",
            "environments: {staging: {cluster: c, efsFileSystemId: efs1, services: {}}}",
            "environments: {staging: {cluster: c, services: {jitsi: {urls: []}}}}",
            "environments: {staging: {cluster: c, services: {jitsi: {service: jitsi, urls: [x]}}}}",
            "environments: {staging: {cluster: c, services: {jitsi: {service: jitsi, urls: 'https://meet.example.org/'}}}}",
            "{environments: {p: {cluster: c, services: {}}}, promotion: {jitsi: {environmentVariables: X}}}",
            "{environments: {p: {cluster: c, services: {}}}, promotion: {jitsi: {copy: [X]}}}",
            BASE + "capacity: {instanceTypes: [c5x large]}}}",
            BASE + "capacity: {scaling: sometimes}}}",
            BASE + "capacity: {scaling: {scaleOutAtCpu: 175, scaleInAtCpu: 25}}}}",
            BASE + "capacity: {scaling: {scaleOutAtCpu: 75.5, scaleInAtCpu: 25}}}}",
            BASE + "capacity: {scaling: {scaleOutAtCpu: 75}}}}",
            BASE + "capacity: {scaleInProtection: {atLeast: -1}}}}",
            BASE + "capacity: {autoScalingGrup: x}}}",
            BASE + "storage: {name: jitsi-matrix-efs}}}",
            BASE + "loadBalancer: {name: alb, routes: [{host: h, targetGroup: t, port: 0}]}}}",
            BASE + "loadBalancer: {name: alb, routes: [{host: h, port: 80}]}}}",
            BASE + "dns: {records: []}}}",
            BASE + "xmpp: {endpoint: 'ws://meet.example.org/xmpp-websocket', admin: a}}}",
            BASE + "xmpp: {endpoint: 'wss://meet.example.org/xmpp-websocket'}}}",
            BASE + "watermark: {dir: ../images}}}",
            BASE + "watermark: {dir: /mnt/efs/../etc}}}",
            BASE + "watermark: {folder: /x}}}",
    })
    void aFileOfTheWrongShapeIsRefusedByBoth(String yaml) throws Exception {
        assertThatThrownBy(() -> Environments.parse("test", yaml)).isInstanceOf(InvalidInputException.class);
        assertThat(schemaErrors(yaml)).as("schema errors for %s", yaml).isNotEmpty();
    }

    /** What the schema's description says only the tool checks: relations between keys. */
    @ParameterizedTest
    @ValueSource(strings = {
            BASE + "capacity: {scaling: {scaleOutAtCpu: 25, scaleInAtCpu: 75}}}}",
            BASE + "capacity: {scaleInProtection: {instancesRunning: [etherpad]}}}}",
            BASE + "dns: {zone: z, records: [{name: a.z, cname: loadBalancer}]}}}",
            BASE + "watermark: {service: etherpad}}}",
            "environments: {p: {cluster: c, services: {jitsi: {service: 'arn:aws:ecs:eu-central-1:1:service/other/jitsi'}}}}",
    })
    void relationsBetweenKeysAreLeftToTheTool(String yaml) throws Exception {
        assertThat(schemaErrors(yaml)).isEmpty();
        assertThatThrownBy(() -> Environments.parse("test", yaml)).isInstanceOf(InvalidInputException.class);
    }
}
