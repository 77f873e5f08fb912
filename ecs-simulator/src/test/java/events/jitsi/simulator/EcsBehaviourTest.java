package events.jitsi.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.Task;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulator's ECS where the tool's behaviour depends on it, driven with the real SDK client: placement on the
 * seed's instances, the scheduler's throttling, revision resolution, paging, regions, the operations around the
 * tool's, and ECS's validation.
 */
class EcsBehaviourTest {
    private static final String STAGING = "jitsi-staging-cluster";
    private static final String PRODUCTION = "jitsi-cluster";

    /** A clock the test moves; the model catches up on the next request. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-28T09:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        synchronized void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final MovableClock clock = new MovableClock();
    private EcsSimulator sim = EcsSimulator.startDefault(clock);
    private final List<EcsClient> clients = new ArrayList<>();
    private EcsClient ecs = client(sim.region());

    private EcsClient client(String region) {
        EcsClient c = EcsClient.builder().endpointOverride(sim.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSIM", "sim-secret")))
                .httpClientBuilder(ApacheHttpClient.builder()).build();
        clients.add(c);
        return c;
    }

    @AfterEach
    void close() {
        clients.forEach(EcsClient::close);
        sim.close();
    }

    private Service service(String cluster, String name) {
        return ecs.describeServices(d -> d.cluster(cluster).services(name)).services().get(0);
    }

    private List<String> events(String cluster, String name) {
        return service(cluster, name).events().stream().map(ServiceEvent::message).toList();
    }

    private void minutes(int n) {
        for (int i = 0; i < n * 6; i++) {
            clock.advance(Duration.ofSeconds(10));
            ecs.describeClusters(d -> d.clusters(STAGING));
        }
    }

    private static Deployment primary(Service s) {
        return s.deployments().stream().filter(d -> d.status().equals("PRIMARY")).findFirst().orElseThrow();
    }

    // ---------------------------------------------------------------- placement

    @Test
    void theSeedsStagingInstanceHasNoMemoryForASecondJitsiAtEcsDefaultLimits() {
        sim.model().setDeploymentConfiguration(STAGING, "jitsi", 100, 200);
        ecs.updateService(u -> u.cluster(STAGING).service("jitsi").taskDefinition("jitsi-meet-task-staging:4"));
        minutes(10);
        Service s = service(STAGING, "jitsi");
        assertThat(primary(s).rolloutState().toString()).isEqualTo("IN_PROGRESS");
        assertThat(primary(s).runningCount()).isZero();
        assertThat(primary(s).failedTasks()).as("a task that cannot be placed is no failed task").isZero();
        assertThat(s.runningCount()).as("the old task keeps serving").isEqualTo(1);
        List<String> unable = events(STAGING, "jitsi").stream().filter(e -> e.contains("unable to place a task")).toList();
        assertThat(unable).hasSizeBetween(9, 11).allMatch(e -> e.contains("has insufficient memory available"));
    }

    @Test
    void matrixsFixedHostPortsBlockASecondCopyOnTheSameInstance() {
        sim.model().setDeploymentConfiguration(STAGING, "matrix", 100, 200);
        ecs.updateService(u -> u.cluster(STAGING).service("matrix").forceNewDeployment(true));
        minutes(2);
        assertThat(events(STAGING, "matrix")).anyMatch(e -> e.contains("is already using a port required by your task"));
        assertThat(sim.model().instances(STAGING).get(0).portsInUse()).contains("tcp/8008", "tcp/8080");
    }

    @Test
    void withMinimumHealthyZeroTheOldTaskStopsFirstAndTheRolloutProceeds() {
        // The seed's staging services stop first (0% / 100%): the only way one instance can roll them out.
        ecs.updateService(u -> u.cluster(STAGING).service("jitsi").taskDefinition("jitsi-meet-task-staging:4"));
        boolean sawNoneRunning = false;
        for (int i = 0; i < 30 && !"COMPLETED".equals(primary(service(STAGING, "jitsi")).rolloutStateAsString()); i++) {
            clock.advance(Duration.ofSeconds(5));
            sawNoneRunning |= service(STAGING, "jitsi").runningCount() == 0;
        }
        assertThat(primary(service(STAGING, "jitsi")).rolloutStateAsString()).isEqualTo("COMPLETED");
        assertThat(sawNoneRunning).as("stopping first means a moment without a task").isTrue();
        assertThat(events(STAGING, "jitsi")).noneMatch(e -> e.contains("unable to place"));
    }

    @Test
    void productionsSecondInstanceTakesTheNewTaskAtEcsDefaultLimits() {
        String before = ecs.listTasks(l -> l.cluster(PRODUCTION).serviceName("jitsi")).taskArns().get(0);
        String oldInstance = ecs.describeTasks(d -> d.cluster(PRODUCTION).tasks(before)).tasks().get(0).containerInstanceArn();
        ecs.updateService(u -> u.cluster(PRODUCTION).service("jitsi").taskDefinition("jitsi-meet-task:11"));
        minutes(3);
        Service s = service(PRODUCTION, "jitsi");
        assertThat(primary(s).rolloutStateAsString()).isEqualTo("COMPLETED");
        assertThat(events(PRODUCTION, "jitsi")).noneMatch(e -> e.contains("unable to place"));
        String after = ecs.listTasks(l -> l.cluster(PRODUCTION).serviceName("jitsi")).taskArns().get(0);
        Task task = ecs.describeTasks(d -> d.cluster(PRODUCTION).tasks(after)).tasks().get(0);
        assertThat(task.containerInstanceArn()).isNotEqualTo(oldInstance);
        assertThat(task.group()).isEqualTo("service:jitsi");
        assertThat(task.startedBy()).isEqualTo(primary(s).id());
    }

    // ---------------------------------------------------------------- failures without a circuit breaker

    @Test
    void withoutABreakerRelaunchesSlowDownAndACountResetsOnceATaskRuns() {
        sim.model().setCircuitBreaker(STAGING, "jitsi", false, false);
        ecs.updateService(u -> u.cluster(STAGING).service("jitsi").taskDefinition("jitsi-meet-task-staging:4"));
        sim.model().failImage("jitsi/web:stable-9955", "CannotPullContainerError: pull access denied", false);
        minutes(8);
        Service s = service(STAGING, "jitsi");
        assertThat(events(STAGING, "jitsi")).anyMatch(e -> e.equals("(service jitsi) is unable to consistently start tasks successfully. "
                + "For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."));
        int failed = primary(s).failedTasks();
        assertThat(failed).isBetween(4, 8);
        String deployment = primary(s).id();
        List<Instant> launches = ecs.describeTasks(d -> d.cluster(STAGING).tasks(ecs.listTasks(l -> l.cluster(STAGING).startedBy(deployment)
                .desiredStatus("STOPPED")).taskArns())).tasks().stream().map(Task::createdAt).sorted().toList();
        Duration firstGap = Duration.between(launches.get(0), launches.get(1));
        Duration lastGap = Duration.between(launches.get(launches.size() - 2), launches.get(launches.size() - 1));
        assertThat(lastGap).as("the scheduler backs off").isGreaterThan(firstGap.multipliedBy(3));

        sim.model().healImage("jitsi/web:stable-9955");
        minutes(20);
        assertThat(primary(service(STAGING, "jitsi")).failedTasks()).as("reset by a task that runs").isZero();
        assertThat(primary(service(STAGING, "jitsi")).rolloutStateAsString()).isEqualTo("COMPLETED");
    }

    // ---------------------------------------------------------------- revisions

    @Test
    void aFamilyAloneResolvesToItsNewestActiveRevision() {
        ecs.deregisterTaskDefinition(d -> d.taskDefinition("jitsi-meet-task:12"));
        assertThat(ecs.describeTaskDefinition(d -> d.taskDefinition("jitsi-meet-task")).taskDefinition().revision()).isEqualTo(11);
        ecs.deregisterTaskDefinition(d -> d.taskDefinition("jitsi-meet-task:11"));
        assertThatThrownBy(() -> ecs.describeTaskDefinition(d -> d.taskDefinition("jitsi-meet-task"))).isInstanceOf(ClientException.class);
    }

    // ---------------------------------------------------------------- List operations and paging

    @Test
    void listTasksFiltersAndRefusesLikeEcs() {
        assertThatThrownBy(() -> ecs.listTasks(l -> l.cluster(PRODUCTION).serviceName("nope"))).isInstanceOf(ServiceNotFoundException.class);
        assertThat(ecs.listTasks(l -> l.cluster(PRODUCTION).family("matrix-task")).taskArns()).hasSize(1);
        assertThat(ecs.listTasks(l -> l.cluster(PRODUCTION).family("no-such-family")).taskArns()).isEmpty();
        for (int bad : new int[] {0, -5, 101}) {
            assertThatThrownBy(() -> ecs.listTasks(l -> l.cluster(PRODUCTION).maxResults(bad))).as("maxResults " + bad)
                    .isInstanceOf(InvalidParameterException.class).hasMessageContaining("maxResults must be between 1 and 100");
        }
        assertThatThrownBy(() -> ecs.listTasks(l -> l.cluster(PRODUCTION).nextToken("not-a-token")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Invalid token");
    }

    @Test
    void everyListOperationPagesWithItsPaginator() {
        // A page of one at a time: every item comes, once.
        assertThat(ecs.listTasksPaginator(l -> l.cluster(PRODUCTION).maxResults(1)).taskArns()).hasSize(2).doesNotHaveDuplicates();
        assertThat(ecs.listTaskDefinitionsPaginator(l -> l.maxResults(1)).taskDefinitionArns()).hasSize(6).doesNotHaveDuplicates();
        assertThat(ecs.listServicesPaginator(l -> l.cluster(PRODUCTION).maxResults(1)).serviceArns())
                .containsExactly("arn:aws:ecs:eu-central-1:123456789012:service/jitsi-cluster/jitsi",
                        "arn:aws:ecs:eu-central-1:123456789012:service/jitsi-cluster/matrix");
        assertThat(ecs.listClustersPaginator(l -> l.maxResults(1)).clusterArns()).hasSize(2);
        assertThat(ecs.listContainerInstancesPaginator(l -> l.cluster(PRODUCTION).maxResults(1)).containerInstanceArns()).hasSize(2);
        // A token of one operation is not one of another's.
        String token = ecs.listServices(l -> l.cluster(PRODUCTION).maxResults(1)).nextToken();
        assertThatThrownBy(() -> ecs.listTasks(l -> l.cluster(PRODUCTION).nextToken(token))).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void containerInstancesSayWhatTheyAreAndWhatIsLeft() {
        List<String> arns = ecs.listContainerInstances(l -> l.cluster(STAGING)).containerInstanceArns();
        var instance = ecs.describeContainerInstances(d -> d.cluster(STAGING).containerInstances(arns)).containerInstances().get(0);
        assertThat(instance.ec2InstanceId()).startsWith("i-0");
        assertThat(instance.agentConnected()).isTrue();
        assertThat(instance.attributes()).anyMatch(a -> a.name().equals("ecs.instance-type") && a.value().equals("c5a.large"));
        assertThat(instance.registeredResources()).anyMatch(r -> r.name().equals("MEMORY") && r.integerValue() == 4096 - 207);
        assertThat(instance.remainingResources()).anyMatch(r -> r.name().equals("MEMORY") && r.integerValue() == 4096 - 207 - 2560 - 1024);
        assertThat(instance.runningTasksCount()).isEqualTo(2);
    }

    @Test
    void tagsOfServicesAndTaskDefinitionsAreKept() {
        String service = "arn:aws:ecs:eu-central-1:123456789012:service/jitsi-cluster/jitsi";
        ecs.tagResource(t -> t.resourceArn(service).tags(tag -> tag.key("team").value("events")));
        assertThat(ecs.listTagsForResource(l -> l.resourceArn(service)).tags()).singleElement()
                .satisfies(tag -> assertThat(tag.value()).isEqualTo("events"));
        assertThatThrownBy(() -> ecs.listTagsForResource(l -> l.resourceArn("arn:aws:ecs:eu-central-1:123456789012:service/jitsi-cluster/nope")))
                .isInstanceOf(InvalidParameterException.class);
    }

    // ---------------------------------------------------------------- regions

    @Test
    void aRequestSignedForAnotherRegionSeesNoneOfTheseClusters() {
        EcsClient ireland = client("eu-west-1");
        assertThatThrownBy(() -> ireland.describeServices(d -> d.cluster(PRODUCTION).services("jitsi"))).isInstanceOf(ClusterNotFoundException.class);
        assertThat(ireland.listClusters().clusterArns()).isEmpty();
        assertThat(ireland.listTaskDefinitions().taskDefinitionArns()).isEmpty();
        assertThat(ecs.listClusters().clusterArns()).hasSize(2);
        assertThat(sim.callLog().get(sim.callLog().size() - 2).signedRegion()).isEqualTo("eu-west-1");
    }

    // ---------------------------------------------------------------- validation

    @Test
    void updateServiceRefusesDeploymentLimitsEcsRefuses() {
        for (int[] limits : new int[][] {{-1, 200}, {101, 200}, {100, 99}, {100, 201}, {100, 100}}) {
            assertThatThrownBy(() -> ecs.updateService(u -> u.cluster(PRODUCTION).service("jitsi")
                    .deploymentConfiguration(c -> c.minimumHealthyPercent(limits[0]).maximumPercent(limits[1]))))
                    .as(limits[0] + "/" + limits[1]).isInstanceOf(InvalidParameterException.class);
        }
        assertThat(service(PRODUCTION, "jitsi").deploymentConfiguration().minimumHealthyPercent()).as("nothing changed").isEqualTo(100);
        assertThat(service(PRODUCTION, "jitsi").deployments()).hasSize(1);
    }

    @Test
    void registerTaskDefinitionRefusesWhatEcsRefuses() {
        ContainerDefinition web = ContainerDefinition.builder().name("web").image("jitsi/web").memory(256).build();
        List<Consumer<software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest.Builder>> bad = List.of(
                r -> r.containerDefinitions(ContainerDefinition.builder().name("web").image("jitsi/web").build()),
                r -> r.containerDefinitions(web, web),
                r -> {
                    List<ContainerDefinition> eleven = new ArrayList<>();
                    for (int i = 0; i < 11; i++) {
                        eleven.add(web.toBuilder().name("c" + i).build());
                    }
                    r.containerDefinitions(eleven);
                },
                r -> r.networkMode("awsvpc").containerDefinitions(web.toBuilder().portMappings(p -> p.containerPort(80).hostPort(8080)).build()),
                r -> r.requiresCompatibilities(software.amazon.awssdk.services.ecs.model.Compatibility.FARGATE).networkMode("bridge")
                        .cpu("256").memory("512").containerDefinitions(web),
                r -> r.requiresCompatibilities(software.amazon.awssdk.services.ecs.model.Compatibility.FARGATE).networkMode("awsvpc")
                        .cpu("512").memory("8192").containerDefinitions(web));
        List<String> said = new ArrayList<>();
        for (var change : bad) {
            assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> {
                r.family("probe");
                change.accept(r);
            })).isInstanceOf(ClientException.class).satisfies(e -> said.add(e.getMessage()));
        }
        assertThat(String.join("\n", said)).contains("At least one of 'memory' or 'memoryReservation'", "Duplicate container name 'web'",
                "at most 10", "host ports and container ports in port mappings must match", "Fargate only supports network mode 'awsvpc'",
                "No Fargate configuration exists for given values: 512 CPU, 8192 memory");
        assertThat(sim.model().newestRevision("probe")).isZero();
    }

    // ---------------------------------------------------------------- the state file

    @Test
    void aStateFileIsCheckedKeyByKey() {
        sim.close();
        ObjectNode misspelt = EcsSimulator.defaultState();
        ((ObjectNode) misspelt.at("/clusters/0/services/0")).put("desiredCont", 2);
        assertThatThrownBy(() -> EcsSimulator.start(clock, misspelt)).isInstanceOf(InvalidStateException.class)
                .hasMessage("state: clusters[0].services[0]: unknown key desiredCont; it takes circuitBreaker, deploymentConfiguration, "
                        + "desiredCount, name, startSeconds, taskDefinition");
        ObjectNode unknownType = EcsSimulator.defaultState();
        ((ObjectNode) unknownType.at("/clusters/0/instances/0")).put("type", "c9.huge");
        assertThatThrownBy(() -> EcsSimulator.start(clock, unknownType)).hasMessageStartingWith("state: clusters[0].instances[0].type: unknown instance type 'c9.huge'");
        ObjectNode tooSmall = EcsSimulator.defaultState();
        ((ObjectNode) tooSmall.at("/clusters/0/services/0")).put("desiredCount", 2);
        assertThatThrownBy(() -> EcsSimulator.start(clock, tooSmall)).hasMessageContaining("do not fit on the instances of jitsi-staging-cluster")
                .hasMessageContaining("insufficient memory");
        ObjectNode noInstances = EcsSimulator.defaultState();
        ((ObjectNode) noInstances.at("/clusters/1")).remove("instances");
        assertThatThrownBy(() -> EcsSimulator.start(clock, noInstances)).hasMessageStartingWith("state: clusters[1].instances: is missing");
        ObjectNode bigger = EcsSimulator.defaultState();
        ((ArrayNode) bigger.at("/clusters/0/instances")).addObject().put("type", "m5.large").put("count", 2);
        sim = EcsSimulator.start(clock, bigger);
        assertThat(sim.model().instances(STAGING)).hasSize(3);
    }
}
