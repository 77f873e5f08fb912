package events.jitsi.cli;

import events.jitsi.core.ecs.DeployRequest;
import events.jitsi.core.ecs.DeployResult;
import events.jitsi.core.ecs.DeployRevision;
import events.jitsi.core.ecs.TaskDefinitions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an interrupted deploy leaves behind, the shutdown hook's work run directly (CliJarIT sends the real signal). */
class InterruptionTest {
    private final SimulatedCli cli = new SimulatedCli();
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(said, true, StandardCharsets.UTF_8);

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void aRevisionRegisteredAndNeverDeployedIsDeregisteredAndSaidSo() {
        var current = cli.ecs.describeTaskDefinition(d -> d.taskDefinition("jitsi-meet-task:12")).taskDefinition();
        String registered = cli.ecs.registerTaskDefinition(TaskDefinitions.registrationOf(current, null, c -> c)).taskDefinition().taskDefinitionArn();
        try (Interruption i = Interruption.watch(cli.ecs, "jitsi-cluster", "jitsi", err)) {
            i.registered(registered);
            i.onInterrupt();
            // After the interruption no write starts.
            assertThatThrownBy(i::beforeUpdate).hasMessageContaining("interrupted");
        }
        assertThat(said.toString()).startsWith("Interrupted: jitsi in jitsi-cluster: ECS is at deployment ecs-svc/")
                .contains("COMPLETED (jitsi-meet-task:12, 1/1 running)")
                .contains("Deregistered jitsi-meet-task:13, which this run registered and never deployed.");
        assertThat(cli.sim.model().taskDefinition("jitsi-meet-task:13").get("status").asText()).isEqualTo("INACTIVE");
    }

    @Test
    void aDeploymentUnderWayIsLeftAloneWithTheCommandThatResumesTheWait() {
        cli.sim.model().setStartSeconds("jitsi-cluster", "jitsi", 600);
        DeployResult d;
        try (Interruption i = Interruption.watch(cli.ecs, "jitsi-cluster", "jitsi", err)) {
            d = new DeployRevision(cli.ecs, l -> { }, i).deploy(DeployRequest.ofImages("jitsi-cluster", "jitsi",
                    java.util.Map.of("web", "jitsi/web:stable-10133")));
            cli.time.advance(java.time.Duration.ofSeconds(30));
            i.onInterrupt();
        }
        assertThat(said.toString()).startsWith("Interrupted: jitsi in jitsi-cluster: ECS is at deployment " + d.deploymentId() + " IN_PROGRESS")
                .contains("Resume the wait with: events-jitsi wait --cluster jitsi-cluster --service jitsi --deployment-id " + d.deploymentId() + ".")
                .endsWith("ECS was left as it is.\n");
        assertThat(cli.sim.callCount("DeregisterTaskDefinition")).isZero();
    }
}
