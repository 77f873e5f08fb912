package events.jitsi.core.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import events.jitsi.core.InvalidInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static events.jitsi.core.ecs.SimulatedEcs.PRODUCTION;
import static events.jitsi.core.ecs.SimulatedEcs.STAGING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeployRevisionTest {
    private final SimulatedEcs env = new SimulatedEcs();
    private final DeployRevision deploy = new DeployRevision(env.ecs, env.logger);

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void revisionOfTheCurrentFamily() {
        DeployResult r = deploy.deploy(DeployRequest.ofRevision(STAGING, "jitsi", 4));

        assertThat(r.changed()).isTrue();
        assertThat(r.previousTaskDefinitionArn()).endsWith("task-definition/jitsi-meet-task-staging:5");
        assertThat(r.taskDefinitionArn()).endsWith("task-definition/jitsi-meet-task-staging:4");
        assertThat(r.deploymentId()).startsWith("ecs-svc/");
        assertThat(env.sim.model().currentTaskDefinition(STAGING, "jitsi")).isEqualTo(r.taskDefinitionArn());
        assertThat(env.sim.callCount("RegisterTaskDefinition")).isZero();
    }

    @Test
    void taskDefinitionByFamilyRevisionAndByArn() {
        DeployResult byName = deploy.deploy(DeployRequest.ofTaskDefinition(PRODUCTION, "jitsi", "jitsi-meet-task:11"));
        assertThat(byName.taskDefinitionArn()).endsWith("jitsi-meet-task:11");

        String arn = byName.previousTaskDefinitionArn();
        DeployResult byArn = deploy.deploy(DeployRequest.ofTaskDefinition(PRODUCTION, "jitsi", arn).replacingDeploymentInProgress(true));
        assertThat(byArn.taskDefinitionArn()).isEqualTo(arn);
        assertThat(env.sim.model().currentTaskDefinition(PRODUCTION, "jitsi")).isEqualTo(arn);
    }

    @Test
    void imagesRegisterANewRevisionThatKeepsEverythingElse() {
        DeployResult r = deploy.deploy(DeployRequest.ofImages(PRODUCTION, "jitsi", Map.of("web", "jitsi/web:stable-10078")));

        assertThat(r.registeredRevision()).isTrue();
        assertThat(r.taskDefinitionArn()).endsWith("jitsi-meet-task:13");
        JsonNode before = env.sim.model().taskDefinition("jitsi-meet-task:12");
        JsonNode after = env.sim.model().taskDefinition("jitsi-meet-task:13");
        assertThat(after.at("/containerDefinitions/0/image").asText()).isEqualTo("jitsi/web:stable-10078");
        assertThat(after.at("/containerDefinitions/1/image").asText()).isEqualTo("jitsi/prosody:stable-9955");
        for (String field : new String[]{"volumes", "taskRoleArn", "executionRoleArn", "cpu", "memory", "networkMode"}) {
            assertThat(after.get(field)).as(field).isEqualTo(before.get(field));
        }
        assertThat(after.at("/containerDefinitions/0/environment")).isEqualTo(before.at("/containerDefinitions/0/environment"));
        assertThat(after.at("/containerDefinitions/1/secrets")).isEqualTo(before.at("/containerDefinitions/1/secrets"));
        assertThat(after.at("/volumes/0/efsVolumeConfiguration/fileSystemId").asText()).isEqualTo("fs-b61d8482");
        assertThat(env.sim.model().currentTaskDefinition(PRODUCTION, "jitsi")).isEqualTo(r.taskDefinitionArn());
    }

    @Test
    void forceNewDeploymentKeepsTheDefinitionButStartsADeployment() {
        String before = env.sim.model().currentTaskDefinition(STAGING, "matrix");
        DeployResult r = deploy.deploy(DeployRequest.ofTaskDefinition(STAGING, "matrix", "matrix-task-staging:3").withForceNewDeployment(true));

        assertThat(r.changed()).isTrue();
        assertThat(r.taskDefinitionArn()).isEqualTo(before);
        assertThat(env.sim.callCount("UpdateService")).isEqualTo(1);
    }

    @Test
    void desiredCountAlone() {
        DeployResult r = deploy.deploy(new DeployRequest(STAGING, "jitsi", null, null, null, false, 2));
        assertThat(r.changed()).isTrue();
        assertThat(env.ecs.describeServices(d -> d.cluster(STAGING).services("jitsi")).services().get(0).desiredCount()).isEqualTo(2);
    }

    @Test
    void deployingWhatAlreadyRunsIsANoOp() {
        DeployResult r = deploy.deploy(DeployRequest.ofRevision(STAGING, "jitsi", 5));
        DeployResult sameImages = deploy.deploy(DeployRequest.ofImages(STAGING, "jitsi", Map.of("web", "jitsi/web:stable-10078")));

        assertThat(r.changed()).isFalse();
        assertThat(sameImages.changed()).isFalse();
        assertThat(env.log).anyMatch(l -> l.contains("already runs jitsi-meet-task-staging:5"));
        assertThat(env.nothingWritten()).isTrue();
    }

    @Test
    void unknownRevisionNamesTheFamilyAndItsNewestRevisions() {
        assertThatThrownBy(() -> deploy.deploy(DeployRequest.ofRevision(STAGING, "jitsi", 99)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("jitsi-meet-task-staging:99 does not exist")
                .hasMessageContaining("jitsi-meet-task-staging:5, jitsi-meet-task-staging:4");
        assertThat(env.nothingWritten()).isTrue();
    }

    @Test
    void badInputChangesNothing() {
        assertThatThrownBy(() -> deploy.deploy(DeployRequest.ofRevision("no-such-cluster", "jitsi", 4)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Cluster 'no-such-cluster' does not exist");
        assertThatThrownBy(() -> deploy.deploy(DeployRequest.ofRevision(STAGING, "etherpad", 4)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Service 'etherpad' does not exist in cluster jitsi-staging-cluster");
        assertThatThrownBy(() -> deploy.deploy(DeployRequest.ofImages(STAGING, "jitsi", Map.of("webb", "jitsi/web:x"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Container 'webb' is not in jitsi-meet-task-staging:5; its containers are: jicofo, jvb, prosody, web");
        assertThatThrownBy(() -> deploy.deploy(DeployRequest.ofTaskDefinition(STAGING, "jitsi", "jitsi-meet-task-staging")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("neither FAMILY:REVISION nor a task-definition ARN");
        assertThatThrownBy(() -> deploy.deploy(DeployRequest.ofTaskDefinition(STAGING, "jitsi", "matrix-task-staging:42")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Newest ACTIVE revisions of matrix-task-staging: matrix-task-staging:3");
        assertThatThrownBy(() -> deploy.deploy(new DeployRequest(STAGING, "jitsi", 4, "jitsi-meet-task-staging:4", null, false, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("only one of");
        assertThatThrownBy(() -> deploy.deploy(new DeployRequest(STAGING, "jitsi", null, null, null, false, -1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Desired count must be 0 or greater");
        assertThat(env.nothingWritten()).isTrue();
        assertThat(env.sim.model().currentTaskDefinition(STAGING, "jitsi")).endsWith("jitsi-meet-task-staging:5");
    }

    @Test
    void aServiceGivenAsAnArnDeploysAndItsWaitFollowsItWithoutARollback() {
        String arn = "arn:aws:ecs:eu-central-1:123456789012:service/" + PRODUCTION + "/jitsi";
        RolloutResult r = new GuardedRollout(env.ecs, new WaitForStable(env.ecs, env.time), env.time, env.logger)
                .run(DeployRequest.ofTaskDefinition(PRODUCTION, arn, "jitsi-meet-task:11"), null, true);
        assertThat(r.outcome()).isEqualTo(RolloutResult.Outcome.SUCCEEDED);
        assertThat(r.deploy().service()).isEqualTo("jitsi");
        assertThat(env.sim.model().currentTaskDefinition(PRODUCTION, "jitsi")).endsWith("jitsi-meet-task:11");
        assertThat(env.sim.callCount("UpdateService")).as("no rollback").isEqualTo(1);
    }

    @Test
    void serviceArnsOfEitherFormatAreReducedToTheNameAndAnotherClustersArnIsRefused() {
        assertThat(ServiceRef.shortName(PRODUCTION, "arn:aws:ecs:eu-central-1:123456789012:service/jitsi")).isEqualTo("jitsi");
        assertThat(ServiceRef.shortName("arn:aws:ecs:eu-central-1:123456789012:cluster/" + PRODUCTION,
                "arn:aws:ecs:eu-central-1:123456789012:service/" + PRODUCTION + "/matrix")).isEqualTo("matrix");
        assertThat(new WaitRequest(PRODUCTION, "arn:aws:ecs:eu-central-1:1:service/" + PRODUCTION + "/jitsi", null, null).service()).isEqualTo("jitsi");
        assertThatThrownBy(() -> DeployRequest.ofRevision(PRODUCTION, "arn:aws:ecs:eu-central-1:1:service/" + STAGING + "/jitsi", 4))
                .isInstanceOf(InvalidInputException.class).hasMessage("The service ARN arn:aws:ecs:eu-central-1:1:service/"
                        + STAGING + "/jitsi is in cluster " + STAGING + ", not in " + PRODUCTION + ".");
        assertThatThrownBy(() -> new ServiceRef(PRODUCTION, "arn:aws:ecs:eu-central-1:1:task/" + PRODUCTION + "/abc"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not an ECS service ARN");
        assertThat(env.sim.calls()).isEmpty();
    }

    @Test
    void aTaskDefinitionOfAnotherFamilyIsRefusedUnlessAllowedOnPurpose() {
        // Production's matrix on staging's family would mount staging's EFS.
        assertThatThrownBy(() -> deploy.deploy(DeployRequest.ofTaskDefinition(PRODUCTION, "matrix", "matrix-task-staging:3")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("runs task-definition family matrix-task, not matrix-task-staging")
                .hasMessageContaining("--allow-family-change");
        assertThat(env.nothingWritten()).isTrue();
        DeployResult r = deploy.deploy(DeployRequest.ofTaskDefinition(PRODUCTION, "matrix", "matrix-task-staging:3").allowingFamilyChange(true));
        assertThat(r.taskDefinitionArn()).endsWith("matrix-task-staging:3");
    }

    @Test
    void aDeployWhileAnotherIsRollingOutIsRefusedUnlessItReplacesItOnPurpose() {
        DeployResult first = deploy.deploy(DeployRequest.ofRevision(STAGING, "jitsi", 4));
        env.sim.resetCalls();
        assertThatThrownBy(() -> deploy.deploy(DeployRequest.ofRevision(STAGING, "jitsi", 5)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is still rolling out deployment " + first.deploymentId() + " (jitsi-meet-task-staging:4)")
                .hasMessageContaining("--force");
        assertThat(env.nothingWritten()).isTrue();
        DeployResult replaced = deploy.deploy(DeployRequest.ofRevision(STAGING, "jitsi", 5).replacingDeploymentInProgress(true));
        assertThat(replaced.taskDefinitionArn()).endsWith("jitsi-meet-task-staging:5");
    }

    @Test
    void anInactiveRevisionIsBadInputAndNothingIsWritten() {
        env.ecs.deregisterTaskDefinition(d -> d.taskDefinition("jitsi-meet-task-staging:4"));
        env.sim.resetCalls();
        assertThatThrownBy(() -> deploy.deploy(DeployRequest.ofRevision(STAGING, "jitsi", 4)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("jitsi-meet-task-staging:4 is INACTIVE (deregistered): deploy an ACTIVE revision; the newest are jitsi-meet-task-staging:5");
        assertThat(env.nothingWritten()).isTrue();
    }

    @Test
    void askingForNothingIsAUsageErrorNotANoOp() {
        assertThatThrownBy(() -> deploy.deploy(new DeployRequest(STAGING, "jitsi", null, null, null, false, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("Nothing to deploy");
        assertThat(env.sim.calls()).isEmpty();
    }

    @Test
    void anUnchangedDesiredCountAboveTheIntegerCacheIsNoChange() {
        deploy.deploy(new DeployRequest(STAGING, "jitsi", null, null, null, false, 300));
        new WaitForStable(env.ecs, env.time).await(new WaitRequest(STAGING, "jitsi", null, null), env.logger);
        env.sim.resetCalls();
        // Integer 300 is not one cached object: compared with != it would be a change every time.
        DeployResult again = deploy.deploy(new DeployRequest(STAGING, "jitsi", null, null, null, false, Integer.valueOf(300)));
        assertThat(again.changed()).isFalse();
        assertThat(env.nothingWritten()).isTrue();
    }

    @Test
    void aDryRunShowsTheDefinitionThatWouldRunAndWritesNothing() {
        String plan = deploy.dryRun(DeployRequest.ofImages(PRODUCTION, "jitsi", Map.of("web", "jitsi/web:stable-10133")));
        assertThat(plan).contains("Would point jitsi in jitsi-cluster from jitsi-meet-task:12 to a new revision of jitsi-meet-task")
                .contains("-    \"image\" : \"jitsi/web:stable-9955\"").contains("+    \"image\" : \"jitsi/web:stable-10133\"");
        assertThat(deploy.dryRun(new DeployRequest(STAGING, "jitsi", null, null, null, false, 2)))
                .contains("The task definition stays jitsi-meet-task-staging:5").contains("desired count from 1 to 2");
        assertThat(env.nothingWritten()).isTrue();
    }

    @Test
    void aFailedDeregistrationAfterAFailedUpdateDoesNotHideTheUpdatesError() {
        env.sim.injectFault("UpdateService", events.jitsi.simulator.EcsSimulator.Fault.SERVER_ERROR, 10);
        env.sim.injectFault("DeregisterTaskDefinition", events.jitsi.simulator.EcsSimulator.Fault.SERVER_ERROR, 10);
        assertThatThrownBy(() -> deploy.deploy(DeployRequest.ofImages(PRODUCTION, "jitsi", Map.of("web", "jitsi/web:stable-10133"))))
                .satisfies(e -> {
                    // The UpdateService error is the one thrown; the SDK added its three retried attempts to it, and
                    // the failed clean-up comes after them instead of replacing it.
                    assertThat(env.sim.callCount("DeregisterTaskDefinition")).isPositive();
                    assertThat(e.getSuppressed()).hasSize(4);
                    assertThat(e.getSuppressed()[3]).isInstanceOf(software.amazon.awssdk.services.ecs.model.ServerException.class);
                });
    }

    @Test
    void aMemberTheSdkDoesNotKnowIsNamedInAWarningWhenADefinitionIsCopied() {
        env.sim.model().addMemberUnknownToOlderSdks("jitsi-meet-task:12", "futureSetting",
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("enabled", true));
        DeployResult r = deploy.deploy(DeployRequest.ofImages(PRODUCTION, "jitsi", Map.of("web", "jitsi/web:stable-10133")));
        assertThat(r.registeredRevision()).isTrue();
        assertThat(env.log).anyMatch(l -> l.startsWith("Warning: jitsi-meet-task:12 has futureSetting, which this tool's AWS SDK does not know"));
        // A definition the SDK knows whole is copied without a word.
        env.log.clear();
        new WaitForStable(env.ecs, env.time).await(new WaitRequest(PRODUCTION, "jitsi", r.deploymentId(), null), env.logger);
        deploy.deploy(DeployRequest.ofImages(PRODUCTION, "jitsi", Map.of("web", "jitsi/web:stable-10078")));
        assertThat(env.log).noneMatch(l -> l.startsWith("Warning:"));
    }

    @Test
    void revisionsAreNewestFirstByNumberWhateverOrderTheServerUses() {
        // An endpoint that ignores sort=DESC (as moto does) and pages in ascending order.
        software.amazon.awssdk.services.ecs.EcsClient ascending = (software.amazon.awssdk.services.ecs.EcsClient) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {software.amazon.awssdk.services.ecs.EcsClient.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("listTaskDefinitions")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    boolean firstPage = !(args[0] instanceof java.util.function.Consumer<?>) ? false
                            : software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsRequest.builder()
                            .applyMutation(b -> ((java.util.function.Consumer<software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsRequest.Builder>) args[0]).accept(b))
                            .build().nextToken() == null;
                    String arn = "arn:aws:ecs:eu-central-1:123456789012:task-definition/";
                    return firstPage
                            ? software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse.builder()
                                    .taskDefinitionArns(arn + "jitsi-meet-task:2", arn + "jitsi-meet-task:9", arn + "jitsi-meet-task-staging:30").nextToken("p2").build()
                            : software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse.builder()
                                    .taskDefinitionArns(arn + "jitsi-meet-task:10", arn + "jitsi-meet-task:11").build();
                });
        assertThat(TaskDefinitions.newestRevisions(ascending, "jitsi-meet-task", 3))
                .containsExactly("jitsi-meet-task:11", "jitsi-meet-task:10", "jitsi-meet-task:9");
    }

    @Test
    void aTimeoutUnderAMinuteIsWrittenInSeconds() {
        WaitResult r = new WaitResult(WaitResult.Outcome.TIMED_OUT, STAGING, "jitsi", "ecs-svc/1", null, "timed out after 15 s",
                java.util.List.of(), java.util.List.of(), java.time.Duration.ofSeconds(15));
        assertThat(r.describe()).contains("did not finish in 15 s").doesNotContain("0 min");
    }

    @Test
    void anUpdateWhosePrimaryDeploymentRunsAnotherDefinitionFailsClearly() {
        // ECS answers UpdateService with a PRIMARY deployment of another task definition (say, a concurrent change).
        software.amazon.awssdk.services.ecs.EcsClient racing = (software.amazon.awssdk.services.ecs.EcsClient) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {software.amazon.awssdk.services.ecs.EcsClient.class}, (proxy, method, args) -> {
                    Object answer = method.invoke(env.ecs, args);
                    if (answer instanceof software.amazon.awssdk.services.ecs.model.UpdateServiceResponse u) {
                        var service = u.service();
                        var deployments = service.deployments().stream().map(d -> "PRIMARY".equals(d.status())
                                ? d.toBuilder().taskDefinition("arn:aws:ecs:eu-central-1:123456789012:task-definition/jitsi-meet-task:10").build() : d).toList();
                        return u.toBuilder().service(service.toBuilder().deployments(deployments).build()).build();
                    }
                    return answer;
                });
        assertThatThrownBy(() -> new DeployRevision(racing, env.logger).deploy(DeployRequest.ofRevision(PRODUCTION, "jitsi", 11)))
                .isInstanceOf(events.jitsi.core.OperationFailedException.class)
                .hasMessageContaining("runs jitsi-meet-task:10, not jitsi-meet-task:11");
    }

    @Test
    void theRollbackHasATimeoutOfItsOwn() {
        // Staging's one instance at minimum healthy 100%: neither the new revision nor the rollback's deployment can be placed.
        env.sim.model().setDeploymentConfiguration(STAGING, "jitsi", 100, 200);
        RolloutResult r = new GuardedRollout(env.ecs, new WaitForStable(env.ecs, env.time), env.time, env.logger).run(
                DeployRequest.ofRevision(STAGING, "jitsi", 4), java.time.Duration.ofMinutes(30), true, java.time.Duration.ofMinutes(2));

        assertThat(r.rollout().reason()).startsWith("ECS has not been able to place the deployment's tasks");
        assertThat(r.outcome()).isEqualTo(RolloutResult.Outcome.ROLLBACK_FAILED);
        assertThat(r.rollbackWait().outcome()).isEqualTo(WaitResult.Outcome.TIMED_OUT);
        assertThat(r.rollbackWait().elapsed()).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(r.rollbackWait().describe()).contains("did not finish in 2 min");
    }
}
