package events.jitsi.core.status;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.config.Environments;
import events.jitsi.core.ecs.DeployRequest;
import events.jitsi.core.ecs.DeployRevision;
import events.jitsi.core.ecs.SimulatedEcs;
import events.jitsi.core.ecs.TaskDefinitions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RevisionsTest {
    private final SimulatedEcs env = new SimulatedEcs();
    private final Revisions revisions = new Revisions(env.ecs, e -> env.ecs, env.time, env.logger);

    @AfterEach
    void close() {
        env.close();
    }

    /** Registers {@code count} more revisions of production's jitsi family, 20 hours apart, none deployed; the last one now. */
    private void registerRevisions(int count) {
        var current = env.ecs.describeTaskDefinition(d -> d.taskDefinition("jitsi-meet-task:12")).taskDefinition();
        for (int i = 0; i < count; i++) {
            env.time.advance(Duration.ofHours(20));
            env.ecs.registerTaskDefinition(TaskDefinitions.registrationOf(current, null, c -> c));
        }
    }

    @Test
    void revisionsAreListedNewestFirstWithImagesAndWhereTheyRun() {
        Revisions.Report r = revisions.run("jitsi-meet-task", Environments.defaults(), 5, false, true);
        assertThat(r.revisions()).extracting(Revisions.Revision::taskDefinition).containsExactly("jitsi-meet-task:12", "jitsi-meet-task:11");
        assertThat(r.revisions().get(0).runsIn()).containsExactly("production/jitsi");
        assertThat(r.revisions().get(0).images()).containsEntry("web", "jitsi/web:stable-9955");
        assertThat(r.revisions().get(1).runsIn()).isEmpty();
        assertThat(r.deregistered()).isEmpty();
        assertThat(env.nothingWritten()).isTrue();
    }

    @Test
    void deregisterKeepsTheNewestTheRunningAndTheRecentAndIsADryRunUntilConfirmed() {
        registerRevisions(4);          // 13..16: 16 now, 15 twenty hours ago, 14 and 13 earlier
        // Production runs :12; deploying :11 back makes it the running one, and :12 the one being replaced.
        new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(SimulatedEcs.PRODUCTION, "jitsi", 11));

        Revisions.Report dry = revisions.run("jitsi-meet-task", Environments.defaults(), 1, true, true);
        assertThat(dry.deregistered()).containsExactly("jitsi-meet-task:14", "jitsi-meet-task:13");
        assertThat(dry.revisions()).filteredOn(x -> x.taskDefinition().equals("jitsi-meet-task:11")).singleElement()
                .satisfies(x -> assertThat(x.keep()).isEqualTo("runs in production/jitsi"));
        assertThat(dry.revisions()).filteredOn(x -> x.taskDefinition().equals("jitsi-meet-task:12")).singleElement()
                .satisfies(x -> assertThat(x.keep()).startsWith("runs in production/jitsi"));
        assertThat(dry.revisions()).filteredOn(x -> x.taskDefinition().equals("jitsi-meet-task:15")).singleElement()
                .satisfies(x -> assertThat(x.keep()).isEqualTo("registered in the last day"));
        assertThat(env.sim.callCount("DeregisterTaskDefinition")).as("a dry run").isZero();

        Revisions.Report done = revisions.run("jitsi-meet-task", Environments.defaults(), 1, true, false);
        assertThat(done.deregistered()).containsExactly("jitsi-meet-task:14", "jitsi-meet-task:13");
        assertThat(env.sim.model().taskDefinition("jitsi-meet-task:13").get("status").asText()).isEqualTo("INACTIVE");
        assertThat(env.sim.model().taskDefinition("jitsi-meet-task:11").get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void aRevisionRunByAServiceTheFileDoesNotNameIsNeverCalledUnused() {
        // Someone runs a third service of the family in production that the environments file does not list.
        com.fasterxml.jackson.databind.node.ObjectNode state = events.jitsi.simulator.EcsSimulator.defaultState();
        ((com.fasterxml.jackson.databind.node.ArrayNode) state.at("/clusters/1/services")).addObject().put("name", "jitsi-canary")
                .put("taskDefinition", "jitsi-meet-task:11").put("desiredCount", 0);
        try (SimulatedEcs other = new SimulatedEcs(state)) {
            Revisions.Report r = new Revisions(other.ecs, e -> other.ecs, other.time, other.logger)
                    .run("jitsi-meet-task", Environments.defaults(), 1, true, true);
            assertThat(r.revisions()).filteredOn(x -> x.taskDefinition().equals("jitsi-meet-task:11")).singleElement()
                    .satisfies(x -> assertThat(x.keep()).isEqualTo("runs in production/jitsi-canary"));
            assertThat(r.deregistered()).isEmpty();
        }
    }

    @Test
    void aRevisionNoDeploymentRanIsOfferedWithIncludeUndeployedHoweverNew() {
        // An interrupted deploy registered :13 and never pointed the service at it.
        registerRevisions(1);
        Revisions.Report kept = revisions.run("jitsi-meet-task", Environments.defaults(), 5, true, true);
        assertThat(kept.deregistered()).as("one of the newest, and registered just now").isEmpty();
        Revisions.Report offered = revisions.run("jitsi-meet-task", Environments.defaults(), 5, true, true, true);
        assertThat(offered.deregistered()).containsExactly("jitsi-meet-task:13");

        // A revision that ran (and was rolled back from) is not "undeployed".
        env.sim.model().failImage("jitsi/web:stable-9955", "CannotPullContainerError: gone", false);
        registerRevisions(1);
        new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(SimulatedEcs.PRODUCTION, "jitsi", 14));
        env.time.advance(Duration.ofMinutes(3));
        Revisions.Report afterRollback = revisions.run("jitsi-meet-task", Environments.defaults(), 5, true, true, true);
        assertThat(afterRollback.deregistered()).doesNotContain("jitsi-meet-task:14");
    }

    @Test
    void anUnknownFamilyIsBadInput() {
        assertThatThrownBy(() -> revisions.run("no-such-family", Environments.defaults(), 5, false, true))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has no ACTIVE revisions");
        assertThatThrownBy(() -> revisions.run("jitsi-meet-task", Environments.defaults(), 0, true, true))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--keep must be 1 or more");
    }
}
