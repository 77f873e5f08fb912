package events.jitsi.core.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import events.jitsi.core.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static events.jitsi.core.ecs.SimulatedEcs.PRODUCTION;
import static events.jitsi.core.ecs.SimulatedEcs.STAGING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromoteTest {
    private final SimulatedEcs env = new SimulatedEcs();
    private final Promote promote = new Promote(env.ecs, env.ecs, new WaitForStable(env.ecs, env.time), env.time, env.logger);

    @AfterEach
    void close() {
        env.close();
    }

    private static PromotionRequest request(String service, PromotionRules rules) {
        return new PromotionRequest("staging", new ServiceRef(STAGING, service), "production", new ServiceRef(PRODUCTION, service), rules);
    }

    @Test
    void productionTakesStagingsImagesAndKeepsEverythingElse() {
        JsonNode before = env.sim.model().taskDefinition("jitsi-meet-task:12");
        PromotionResult r = promote.execute(promote.plan(request("jitsi", null)), null);

        assertThat(r.outcome()).isEqualTo(PromotionResult.Outcome.PROMOTED);
        assertThat(r.sourceTaskDefinitionArn()).endsWith("jitsi-meet-task-staging:5");
        assertThat(r.targetPreviousTaskDefinitionArn()).endsWith("jitsi-meet-task:12");
        assertThat(r.targetNewTaskDefinitionArn()).endsWith("jitsi-meet-task:13");
        assertThat(r.images()).extracting(PromotionPlan.ImageChange::container).containsExactly("web", "prosody", "jicofo", "jvb");
        assertThat(env.sim.model().currentTaskDefinition(PRODUCTION, "jitsi")).isEqualTo(r.targetNewTaskDefinitionArn());

        JsonNode after = env.sim.model().taskDefinition("jitsi-meet-task:13");
        JsonNode staging = env.sim.model().taskDefinition("jitsi-meet-task-staging:5");
        for (int i = 0; i < 4; i++) {
            assertThat(after.at("/containerDefinitions/" + i + "/image")).isEqualTo(staging.at("/containerDefinitions/" + i + "/image"));
            for (String field : new String[]{"environment", "secrets", "mountPoints", "logConfiguration", "memoryReservation"}) {
                assertThat(after.at("/containerDefinitions/" + i + "/" + field)).as(field).isEqualTo(before.at("/containerDefinitions/" + i + "/" + field));
            }
        }
        for (String field : new String[]{"family", "volumes", "taskRoleArn", "executionRoleArn", "cpu", "memory", "networkMode", "requiresCompatibilities"}) {
            assertThat(after.get(field)).as(field).isEqualTo(before.get(field));
        }
        assertThat(after.at("/volumes/0/efsVolumeConfiguration/fileSystemId").asText()).isEqualTo("fs-b61d8482");
        assertThat(env.ecs.describeTaskDefinition(d -> d.taskDefinition("jitsi-meet-task:13").include(software.amazon.awssdk.services.ecs.model.TaskDefinitionField.TAGS))
                .tags()).anyMatch(t -> t.key().equals("environment") && t.value().equals("production"));
    }

    @Test
    void theDiffShowsExactlyTheChangedImages() {
        PromotionPlan plan = promote.plan(request("matrix", null));
        assertThat(changedLines(plan.diff())).containsExactlyInAnyOrder(
                "-\"image\" : \"vectorim/element-web:v1.11.80\",",
                "+\"image\" : \"vectorim/element-web:v1.11.85\",",
                "-\"image\" : \"matrixdotorg/synapse:v1.118.0\",",
                "+\"image\" : \"matrixdotorg/synapse:v1.120.0\",");
        assertThat(plan.diff()).startsWith("--- production matrix-task:7\n+++ production with staging's images\n");
        assertThat(plan.diff()).doesNotContain("revision").doesNotContain("registeredAt").doesNotContain("status");
    }

    /** The diff's removed and added lines, indentation dropped. */
    private static List<String> changedLines(String diff) {
        return diff.lines().filter(l -> (l.startsWith("-") || l.startsWith("+")) && !l.startsWith("---") && !l.startsWith("+++"))
                .map(l -> l.charAt(0) + l.substring(1).strip()).toList();
    }

    @Test
    void aDryRunMakesNoWriteCall() {
        PromotionResult r = promote.dryRun(promote.plan(request("jitsi", null)));
        assertThat(r.outcome()).isEqualTo(PromotionResult.Outcome.DRY_RUN);
        assertThat(r.diff()).contains("jitsi/web:stable-10078");
        assertThat(env.nothingWritten()).isTrue();
    }

    @Test
    void aPromotionOfWhatAlreadyRunsRegistersNothing() {
        promote.execute(promote.plan(request("matrix", null)), null);
        env.sim.resetCalls();
        PromotionResult again = promote.execute(promote.plan(request("matrix", null)), null);

        assertThat(again.outcome()).isEqualTo(PromotionResult.Outcome.UNCHANGED);
        assertThat(again.diff()).isEmpty();
        assertThat(env.nothingWritten()).isTrue();
    }

    @Test
    void aContainerMismatchIsRefusedWithNoWriteUnlessIgnored() {
        new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofTaskDefinition(STAGING, "matrix", "matrix-task-staging:3"));
        env.ecs.registerTaskDefinition(TaskDefinitions.registrationOf(
                env.ecs.describeTaskDefinition(d -> d.taskDefinition("matrix-task-staging:3")).taskDefinition(), null,
                c -> c.name().equals("element") ? c.toBuilder().name("element-web").build() : c));
        new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(STAGING, "matrix", 4));
        env.sim.resetCalls();

        assertThatThrownBy(() -> promote.plan(request("matrix", null))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("do not have the same containers")
                .hasMessageContaining("has element-web, synapse").hasMessageContaining("has element, synapse")
                .hasMessageContaining("promotion.matrix.ignoreContainers");
        assertThat(env.nothingWritten()).isTrue();

        PromotionPlan plan = promote.plan(request("matrix", new PromotionRules(List.of(), List.of("element", "element-web"))));
        assertThat(plan.images()).extracting(PromotionPlan.ImageChange::container).containsExactly("synapse");
    }

    @Test
    void allowedEnvironmentVariablesCrossOverAndNothingElse() {
        PromotionPlan plan = promote.plan(request("jitsi", new PromotionRules(List.of("PUBLIC_URL_UNUSED", "ENABLE_AUTH"), List.of())));
        assertThat(plan.environmentChanges()).isEmpty();
        // Staging turns a feature flag on; only a named variable crosses over.
        var staging = env.ecs.describeTaskDefinition(d -> d.taskDefinition("jitsi-meet-task-staging:5")).taskDefinition();
        env.ecs.registerTaskDefinition(TaskDefinitions.registrationOf(staging, null, c -> c.name().equals("web")
                ? c.toBuilder().environment(software.amazon.awssdk.services.ecs.model.KeyValuePair.builder().name("ENABLE_AUTH").value("0").build(),
                software.amazon.awssdk.services.ecs.model.KeyValuePair.builder().name("PUBLIC_URL").value("https://meet-staging.example.org").build()).build() : c));
        new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(STAGING, "jitsi", 6));

        PromotionPlan withFlag = promote.plan(request("jitsi", new PromotionRules(List.of("ENABLE_AUTH"), List.of())));
        assertThat(withFlag.environmentChanges()).containsExactly("web: ENABLE_AUTH");
        assertThat(changedLines(withFlag.diff())).contains("-\"value\" : \"1\"", "+\"value\" : \"0\"");
        assertThat(withFlag.diff()).doesNotContain("meet-staging.example.org");
    }

    @Test
    void aFailedProductionRolloutRollsBackToThePreviousRevision() {
        env.sim.model().setCircuitBreaker(PRODUCTION, "jitsi", true, false);
        new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofImages(STAGING, "jitsi", Map.of("web", "jitsi/web:broken")));

        PromotionResult r = promote.execute(promote.plan(request("jitsi", null)), null);

        assertThat(r.outcome()).isEqualTo(PromotionResult.Outcome.ROLLED_BACK);
        assertThat(r.rollout().rollout().reason()).contains("circuit breaker");
        assertThat(env.sim.model().currentTaskDefinition(PRODUCTION, "jitsi")).endsWith("jitsi-meet-task:12");
        assertThat(env.sim.model().taskDefinition("jitsi-meet-task:13").get("status").asText()).isEqualTo("INACTIVE");
    }

    @Test
    void aPlanThatNoLongerMatchesWhatRunsIsRefused() {
        PromotionPlan plan = promote.plan(request("jitsi", null));
        new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(PRODUCTION, "jitsi", 11));
        env.sim.resetCalls();

        assertThatThrownBy(() -> promote.execute(plan, null)).hasMessageContaining("runs jitsi-meet-task:11 now, not jitsi-meet-task:12");
        assertThat(env.nothingWritten()).isTrue();
        PromotionRequest approved = new PromotionRequest("staging", new ServiceRef(STAGING, "jitsi"), "production",
                new ServiceRef(PRODUCTION, "jitsi"), null, plan.sourceTaskDefinitionArn(), plan.targetTaskDefinitionArn());
        assertThatThrownBy(() -> promote.plan(approved)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not jitsi-meet-task:12 as in the approved plan");
    }
}
