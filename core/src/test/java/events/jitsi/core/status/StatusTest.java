package events.jitsi.core.status;

import events.jitsi.core.config.Environments;
import events.jitsi.core.ecs.DeployRequest;
import events.jitsi.core.ecs.DeployRevision;
import events.jitsi.core.ecs.SimulatedEcs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusTest {
    private final SimulatedEcs env = new SimulatedEcs();
    private final Status status = new Status(e -> env.ecs, env.time);

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void eachServiceShowsBothEnvironmentsSideBySideWithTheImagesThatDiffer() {
        env.sim.resetCalls();
        Status.Report r = status.run(Environments.defaults(), List.of());

        assertThat(r.environments()).containsExactly("staging", "production");
        Status.ServiceRow jitsi = r.services().get(0);
        assertThat(jitsi.key()).isEqualTo("jitsi");
        Status.ServiceState staging = jitsi.environments().get("staging");
        Status.ServiceState production = jitsi.environments().get("production");
        assertThat(staging.taskDefinition()).isEqualTo("jitsi-meet-task-staging:5");
        assertThat(production.taskDefinition()).isEqualTo("jitsi-meet-task:12");
        assertThat(staging.images()).containsEntry("web", "jitsi/web:stable-10078");
        assertThat(production.images()).containsEntry("web", "jitsi/web:stable-9955");
        assertThat(jitsi.differences()).contains("web");
        assertThat(staging.rolloutState()).isEqualTo("COMPLETED");
        assertThat(staging.running()).isEqualTo(1);
        assertThat(staging.lastDeploymentAge()).isEqualTo(Duration.ofHours(1));
        assertThat(staging.lastEvent()).contains("has reached a steady state");
        // One DescribeServices call per cluster, one DescribeTaskDefinition per distinct revision (4 services, 4 revisions).
        assertThat(env.sim.callCount("DescribeServices")).isEqualTo(2);
        assertThat(env.sim.callCount("DescribeTaskDefinition")).isEqualTo(4);
        assertThat(env.nothingWritten()).isTrue();
    }

    @Test
    void aRolloutInProgressAndAnUnknownServiceAreShownAsTheyAre() {
        env.sim.model().setStartSeconds(SimulatedEcs.STAGING, "jitsi", 600);
        new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofImages(SimulatedEcs.STAGING, "jitsi", Map.of("web", "jitsi/web:stable-10133")));
        env.time.advance(Duration.ofSeconds(30));
        Environments config = Environments.parse("test", "environments: {staging: {region: eu-central-1, cluster: jitsi-staging-cluster, "
                + "services: {jitsi: {service: jitsi}, etherpad: {service: etherpad}}}}");
        Status.Report r = status.run(config, List.of());

        Status.ServiceState jitsi = r.services().get(0).environments().get("staging");
        assertThat(jitsi.rolloutState()).isEqualTo("IN_PROGRESS");
        assertThat(jitsi.deployments()).isEqualTo(2);
        assertThat(jitsi.images()).containsEntry("web", "jitsi/web:stable-10133");
        assertThat(jitsi.lastDeploymentAge()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.services().get(1).environments().get("staging").error()).isEqualTo("service etherpad does not exist in cluster jitsi-staging-cluster");
    }
}
