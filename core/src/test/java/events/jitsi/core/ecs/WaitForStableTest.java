package events.jitsi.core.ecs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import events.jitsi.simulator.EcsSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static events.jitsi.core.ecs.SimulatedEcs.PRODUCTION;
import static events.jitsi.core.ecs.SimulatedEcs.STAGING;
import static org.assertj.core.api.Assertions.assertThat;

class WaitForStableTest {

    private static WaitResult deployAndWait(SimulatedEcs env, DeployRequest request, Duration timeout) {
        DeployResult deployed = new DeployRevision(env.ecs, env.logger).deploy(request);
        WaitForStable wait = new WaitForStable(env.ecs, env.time);
        return wait.await(new WaitRequest(request.cluster(), request.service(), deployed.deploymentId(), timeout), env.logger);
    }

    @Test
    void aStableRolloutSucceedsSoonAfterItCompletes() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            Instant start = env.time.instant();
            WaitResult r = deployAndWait(env, DeployRequest.ofRevision(STAGING, "jitsi", 4), null);

            assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.SUCCEEDED);
            assertThat(r.taskDefinitionArn()).endsWith("jitsi-meet-task-staging:4");
            Instant completed = env.sim.model().rolloutEndedAt(STAGING, "jitsi");
            assertThat(completed).isAfter(start);
            // Detected within the fast interval of the moment ECS completed the rollout.
            assertThat(Duration.between(completed, start.plus(r.elapsed()))).isLessThanOrEqualTo(Duration.ofSeconds(5));
            assertThat(env.log).anyMatch(l -> l.contains("(service jitsi) has started 1 tasks"));
            assertThat(env.log).anyMatch(l -> l.contains("(service jitsi) has reached a steady state."));
        }
    }

    @Test
    void eachServiceEventIsPrintedOnce() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            deployAndWait(env, DeployRequest.ofRevision(STAGING, "jitsi", 4), null);
            List<String> events = env.log.stream().filter(l -> l.contains(" (service jitsi) ")).toList();
            assertThat(events).isNotEmpty().doesNotHaveDuplicates();
            // The steady state from before the deploy is history, not news.
            assertThat(events.stream().filter(l -> l.contains("reached a steady state"))).hasSize(1);
        }
    }

    @Test
    void aFailedRolloutFailsWithItsReasons() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            env.sim.model().setCircuitBreaker(STAGING, "jitsi", true, false);
            WaitResult r = deployAndWait(env, DeployRequest.ofImages(STAGING, "jitsi", Map.of("web", "jitsi/web:broken")), null);

            assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.FAILED);
            assertThat(r.reason()).contains("ECS deployment circuit breaker: tasks failed to start.");
            assertThat(r.stoppedReasons()).isNotEmpty().allMatch(s -> s.contains("CannotPullContainerError"));
            assertThat(r.lastEvents()).anyMatch(e -> e.contains("deployment failed: tasks failed to start"));
            Instant failedAt = env.sim.model().rolloutEndedAt(STAGING, "jitsi");
            assertThat(Duration.between(failedAt, env.time.instant())).isLessThanOrEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void aCircuitBreakerRollbackIsAFailureNotASuccess() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            WaitResult r = deployAndWait(env, DeployRequest.ofImages(PRODUCTION, "jitsi", Map.of("web", "jitsi/web:broken")), null);

            assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.FAILED);
            assertThat(r.reason()).contains("circuit breaker").contains("rolled the service back").contains("jitsi-meet-task:12");
            assertThat(env.sim.model().currentTaskDefinition(PRODUCTION, "jitsi")).endsWith("jitsi-meet-task:12");
        }
    }

    @Test
    void withoutACircuitBreakerRepeatedTaskFailuresEndTheWait() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            env.sim.model().setCircuitBreaker(STAGING, "jitsi", false, false);
            WaitResult r = deployAndWait(env, DeployRequest.ofImages(STAGING, "jitsi", Map.of("prosody", "jitsi/prosody:crashing")), null);

            assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.FAILED);
            assertThat(r.reason()).contains("no deployment circuit breaker");
            assertThat(r.stoppedReasons()).anyMatch(s -> s.contains("Essential container in task exited (prosody exited with code 1)"));
        }
    }

    @Test
    void aTimeoutEndsWithTheLastKnownState() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            env.sim.model().setStartSeconds(STAGING, "jitsi", 3600);
            WaitResult r = deployAndWait(env, DeployRequest.ofRevision(STAGING, "jitsi", 4), Duration.ofMinutes(10));

            assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.TIMED_OUT);
            assertThat(r.elapsed()).isEqualTo(Duration.ofMinutes(10));
            assertThat(r.reason()).contains("timed out after 10 min").contains("IN_PROGRESS").contains("running 0/1").contains("pending 1");
        }
    }

    @Test
    void throttlingDuringAWaitDoesNotEndIt() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            DeployResult deployed = new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(STAGING, "jitsi", 4));
            // More throttles in a row than the SDK retries by itself, then a server error streak.
            env.sim.injectFault("DescribeServices", EcsSimulator.Fault.THROTTLING, 8);
            WaitForStable wait = new WaitForStable(env.ecs, env.time);
            CompletableFuture<WaitResult> f = wait.start(new WaitRequest(STAGING, "jitsi", deployed.deploymentId(), null), env.logger);
            env.time.advance(Duration.ofSeconds(20));
            env.sim.injectFault("DescribeServices", EcsSimulator.Fault.SERVER_ERROR, 4);
            WaitResult r = env.time.await(f);

            assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.SUCCEEDED);
            assertThat(env.sim.faultsAnswered()).isEqualTo(12);
            assertThat(env.log).anyMatch(l -> l.contains("ThrottlingException") && l.contains("still waiting"));
        }
    }

    @Test
    void waitsWithoutADeploymentIdFollowThePrimaryDeployment() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(STAGING, "jitsi", 4));
            WaitResult r = new WaitForStable(env.ecs, env.time).await(new WaitRequest(STAGING, "jitsi", null, null), env.logger);
            assertThat(r.succeeded()).isTrue();
            assertThat(env.log).anyMatch(l -> l.startsWith("Waiting for deployment ecs-svc/"));
        }
    }

    @Test
    void aMissingServiceEndsTheWaitAtOnce() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            WaitResult r = new WaitForStable(env.ecs, env.time).await(new WaitRequest(STAGING, "etherpad", null, null), env.logger);
            assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.FAILED);
            assertThat(r.reason()).contains("does not exist");
        }
    }

    @Test
    void waitsOnOneClusterShareDescribeServicesCallsOfTenServices() {
        ObjectNode state = EcsSimulator.defaultState();
        // Room for thirteen more services on staging.
        ((ArrayNode) state.at("/clusters/0/instances")).addObject().put("type", "m5.2xlarge").put("count", 10);
        ArrayNode services = (ArrayNode) state.at("/clusters/0/services");
        for (int i = 0; i < 13; i++) {
            services.addObject().put("name", "extra-" + i).put("taskDefinition", "jitsi-meet-task-staging:5").put("desiredCount", 1);
        }
        try (SimulatedEcs env = new SimulatedEcs(state)) {
            DeployRevision deploy = new DeployRevision(env.ecs, env.logger);
            WaitForStable wait = new WaitForStable(env.ecs, env.time);
            List<CompletableFuture<WaitResult>> waits = new ArrayList<>();
            for (int i = 0; i < 13; i++) {
                DeployResult d = deploy.deploy(DeployRequest.ofRevision(STAGING, "extra-" + i, 4));
                // Three waits per service, as when several builds watch the same rollout.
                for (int k = 0; k < 3; k++) {
                    waits.add(wait.start(new WaitRequest(STAGING, "extra-" + i, d.deploymentId(), null), l -> { }));
                }
            }
            env.sim.resetCalls();
            env.time.await(CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)));

            assertThat(waits).allMatch(f -> f.join().succeeded());
            long describeCalls = env.sim.callCount("DescribeServices");
            // 13 services need 2 calls a round, however many waits there are.
            assertThat(describeCalls % 2).isZero();
            assertThat(describeCalls / 2).isLessThan(20);
        }
    }

    @Test
    void aFailingLogConsumerEndsOnlyItsOwnWaitAndNeverHangsIt() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            DeployResult d = new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofRevision(STAGING, "jitsi", 4));
            WaitForStable wait = new WaitForStable(env.ecs, env.time);
            CompletableFuture<WaitResult> broken = wait.start(new WaitRequest(STAGING, "jitsi", null, Duration.ofMinutes(3)), line -> {
                throw new IllegalStateException("the build log is gone");
            });
            CompletableFuture<WaitResult> healthy = wait.start(new WaitRequest(STAGING, "jitsi", d.deploymentId(), Duration.ofMinutes(10)), env.logger);
            Instant start = env.time.instant();
            WaitResult failed = env.time.await(broken);
            assertThat(failed.outcome()).isEqualTo(WaitResult.Outcome.FAILED);
            assertThat(failed.reason()).contains("unexpected error").contains("the build log is gone");
            assertThat(failed.elapsed()).isLessThan(Duration.ofMinutes(3));
            assertThat(env.time.await(healthy).succeeded()).isTrue();
            assertThat(Duration.between(start, env.time.instant())).isLessThan(Duration.ofMinutes(10));
        }
    }

    @Test
    void anEndpointThatRefusesConnectionsEndsTheWaitAfterAFewRoundsNotAtTheTimeout() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        events.jitsi.core.time.VirtualTime time = new events.jitsi.core.time.VirtualTime(Instant.parse("2026-11-28T09:00:00Z"));
        try (events.jitsi.core.aws.AwsServices nowhere = new events.jitsi.core.aws.AwsServices("eu-central-1",
                java.net.URI.create("http://127.0.0.1:" + closedPort), software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDTEST", "test-secret")))) {
            WaitResult r = new WaitForStable(nowhere.ecs(), time).await(new WaitRequest(STAGING, "jitsi", null, Duration.ofMinutes(30)), l -> { });
            assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.UNREACHABLE);
            assertThat(r.reason()).contains("cannot reach ECS").contains("ConnectException");
            assertThat(r.elapsed()).isLessThan(Duration.ofMinutes(2));
        }
    }

    @Test
    void aRolloutThatEcsCannotPlaceFailsAfterThePlacementStallNotAtTheTimeout() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            // Staging's one c5a.large, ECS's default limits (minimum healthy 100%): the new task has no memory left while the old one runs.
            env.sim.model().setDeploymentConfiguration(STAGING, "jitsi", 100, 200);
            Instant start = env.time.instant();
            WaitResult r = deployAndWait(env, DeployRequest.ofTaskDefinition(STAGING, "jitsi", "jitsi-meet-task-staging:4"), Duration.ofMinutes(30));

            assertThat(r.outcome()).as(r.describe() + env.log).isEqualTo(WaitResult.Outcome.FAILED);
            assertThat(r.reason()).startsWith("ECS has not been able to place the deployment's tasks")
                    .contains("was unable to place a task because no container instance met all of its requirements")
                    .contains("has insufficient memory available");
            assertThat(Duration.between(start, start.plus(r.elapsed()))).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(7));
            assertThat(env.sim.callLog().stream().filter(c -> c.operation().equals("DescribeServices")).count()).isLessThan(30);
        }
    }

    @Test
    void withRoomToStopTheOldTaskFirstTheSameRolloutCompletes() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            env.sim.model().setDeploymentConfiguration(STAGING, "jitsi", 0, 100);
            WaitResult r = deployAndWait(env, DeployRequest.ofTaskDefinition(STAGING, "jitsi", "jitsi-meet-task-staging:4"), Duration.ofMinutes(30));
            assertThat(r.outcome()).as(r.describe()).isEqualTo(WaitResult.Outcome.SUCCEEDED);
            assertThat(env.sim.model().currentTaskDefinition(STAGING, "jitsi")).endsWith("jitsi-meet-task-staging:4");
            assertThat(env.log).noneMatch(l -> l.contains("unable to place"));
        }
    }

    @Test
    void aFailedDeploymentStaysListedForAWhileAndTheWaitStillSeesTheFailureAndTheRollback() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            env.sim.model().setCircuitBreaker(STAGING, "jitsi", true, true);
            DeployResult d = new DeployRevision(env.ecs, env.logger).deploy(DeployRequest.ofImages(STAGING, "jitsi", Map.of("web", "jitsi/web:broken")));
            WaitForStable wait = new WaitForStable(env.ecs, env.time);
            WaitResult failed = wait.await(new WaitRequest(STAGING, "jitsi", d.deploymentId(), null), env.logger);
            assertThat(failed.outcome()).isEqualTo(WaitResult.Outcome.FAILED);
            assertThat(failed.reason()).contains("ECS rolled the service back");
            // Still listed next to ECS's rollback, as ECS keeps a FAILED deployment for a while.
            var deployments = env.ecs.describeServices(x -> x.cluster(STAGING).services("jitsi")).services().get(0).deployments();
            assertThat(deployments).anySatisfy(x -> {
                assertThat(x.id()).isEqualTo(d.deploymentId());
                assertThat(x.rolloutStateAsString()).isEqualTo("FAILED");
            });
            String rollback = deployments.stream().filter(x -> x.status().equals("PRIMARY")).findFirst().orElseThrow().id();
            assertThat(wait.await(new WaitRequest(STAGING, "jitsi", rollback, null), env.logger).succeeded()).isTrue();
        }
    }

    @Test
    void aRollbackThatBringsTheLastCompletedDeploymentBackIsFollowedUnderItsOwnId() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            env.sim.model().setCircuitBreaker(PRODUCTION, "jitsi", true, true);
            env.sim.model().setRollbackReactivatesDeployment(PRODUCTION, "jitsi", true);
            String completed = env.ecs.describeServices(x -> x.cluster(PRODUCTION).services("jitsi")).services().get(0).deployments().get(0).id();
            RolloutResult r = new GuardedRollout(env.ecs, new WaitForStable(env.ecs, env.time), env.time, env.logger)
                    .run(DeployRequest.ofImages(PRODUCTION, "jitsi", Map.of("web", "jitsi/web:broken")), Duration.ofMinutes(30), true);

            assertThat(r.outcome()).isEqualTo(RolloutResult.Outcome.ROLLED_BACK);
            assertThat(r.rollbackWait().deploymentId()).isEqualTo(completed);
            assertThat(env.log).anyMatch(l -> l.contains("ECS is already rolling back to jitsi-meet-task:12 (deployment " + completed + ")"));
            assertThat(env.sim.callCount("UpdateService")).as("ECS rolled back; we only waited").isEqualTo(1);
            assertThat(env.sim.model().currentTaskDefinition(PRODUCTION, "jitsi")).endsWith("jitsi-meet-task:12");
        }
    }

    @Test
    void aColleaguesDeploymentDuringTheWaitSupersedesItAndIsNeverRolledBack() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            env.sim.model().setStartSeconds(PRODUCTION, "jitsi", 120);
            DeployRevision deploy = new DeployRevision(env.ecs, env.logger);
            // While our rollout of :11 runs, a colleague deploys :12 back over it (with --force).
            env.time.schedule(Duration.ofSeconds(40), () -> deploy.deploy(DeployRequest.ofRevision(PRODUCTION, "jitsi", 12)
                    .replacingDeploymentInProgress(true)));
            RolloutResult r = new GuardedRollout(env.ecs, new WaitForStable(env.ecs, env.time), env.time, env.logger)
                    .run(DeployRequest.ofRevision(PRODUCTION, "jitsi", 11), Duration.ofMinutes(30), true);

            assertThat(r.outcome()).isEqualTo(RolloutResult.Outcome.SUPERSEDED);
            assertThat(r.rollout().outcome()).isEqualTo(WaitResult.Outcome.SUPERSEDED);
            assertThat(r.rollout().reason()).matches("superseded by deployment ecs-svc/\\d+ \\(task definition jitsi-meet-task:12\\), started by someone else");
            assertThat(env.sim.callCount("UpdateService")).as("ours and the colleague's; no rollback").isEqualTo(2);
            env.time.advance(Duration.ofMinutes(10));
            assertThat(env.sim.model().currentTaskDefinition(PRODUCTION, "jitsi")).endsWith("jitsi-meet-task:12");
        }
    }

    @Test
    void aDeploymentIdTheServiceNeverHadIsNotFoundNotAFailure() {
        try (SimulatedEcs env = new SimulatedEcs()) {
            WaitResult r = new WaitForStable(env.ecs, env.time).await(new WaitRequest(PRODUCTION, "jitsi", "ecs-svc/1234567890", null), env.logger);
            assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.NOT_FOUND);
            assertThat(r.reason()).startsWith("no deployment ecs-svc/1234567890 on service jitsi in jitsi-cluster; its deployments are ecs-svc/")
                    .contains("(PRIMARY, jitsi-meet-task:12)");
            assertThat(r.allowsRollback()).isFalse();
        }
    }
}
