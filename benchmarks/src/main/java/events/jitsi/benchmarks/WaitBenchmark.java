package events.jitsi.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import events.jitsi.core.ecs.DeployRequest;
import events.jitsi.core.ecs.DeployResult;
import events.jitsi.core.ecs.DeployRevision;
import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.ecs.WaitForStable;
import events.jitsi.core.ecs.WaitRequest;
import events.jitsi.core.ecs.WaitResult;
import events.jitsi.core.time.VirtualTime;
import events.jitsi.simulator.EcsSimulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.waiters.EcsAsyncWaiter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Our wait against the SDK's services-stable waiter (default configuration) on the same simulated rollouts, and
 * many concurrent waits on one scheduler thread. Prints figures and writes benchmarks/results/wait.json; it asserts
 * nothing. Usage: {@code WaitBenchmark RESULT_JSON [MARKDOWN]} (the table between the wait-benchmark markers of docs/benchmarks.md is
 * rewritten when given).
 */
public final class WaitBenchmark {
    private static final Instant START = Instant.parse("2026-11-28T09:00:00Z");
    private static final String CLUSTER = "jitsi-staging-cluster";
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCHMARK", "benchmark-not-a-secret"));

    private enum Scenario {
        COMPLETES_AFTER_3_MIN("deployment completes after 3 minutes", "success"),
        CIRCUIT_BREAKER_FAILS_AFTER_2_MIN("circuit breaker fails the deployment after 2 minutes", "failure"),
        FAILS_AND_ROLLS_BACK("deployment fails after 2 minutes and ECS rolls it back", "failure");

        final String title;
        final String expected;

        Scenario(String title, String expected) {
            this.title = title;
            this.expected = expected;
        }
    }

    private record Measure(String outcome, double detectSeconds, long describeCalls) {
    }

    public static void main(String[] args) throws Exception {
        Path resultFile = Path.of(args.length > 0 ? args[0] : "benchmarks/results/wait.json");
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        ArrayNode scenarios = root.putArray("scenarios");
        List<String[]> rows = new ArrayList<>();
        for (Scenario s : Scenario.values()) {
            Measure ours = run(s, true);
            Measure sdk = run(s, false);
            ObjectNode n = scenarios.addObject();
            n.put("name", s.name().toLowerCase());
            n.put("description", s.title);
            n.put("expected", s.expected);
            n.set("ours", json.valueToTree(ours));
            n.set("sdkWaiter", json.valueToTree(sdk));
            rows.add(new String[]{s.title, s.expected, ours.outcome, fmt(ours.detectSeconds), String.valueOf(ours.describeCalls),
                    sdk.outcome, fmt(sdk.detectSeconds), String.valueOf(sdk.describeCalls)});
        }
        ObjectNode concurrency = concurrency(root);

        Files.createDirectories(resultFile.toAbsolutePath().getParent());
        json.writeValue(resultFile.toFile(), root);
        String table = table(rows, concurrency);
        System.out.println(table);
        System.out.println("Written " + resultFile);
        if (args.length > 1) {
            Path readme = Path.of(args[1]);
            String text = Files.readString(readme);
            String begin = "<!-- wait-benchmark:begin -->";
            String end = "<!-- wait-benchmark:end -->";
            int b = text.indexOf(begin);
            int e = text.indexOf(end);
            if (b >= 0 && e > b) {
                Files.writeString(readme, text.substring(0, b + begin.length()) + "\n" + table + text.substring(e));
                System.out.println("Updated the table in " + readme);
            }
        }
    }

    private static Measure run(Scenario scenario, boolean ours) {
        VirtualTime time = new VirtualTime(START);
        ObjectNode state = EcsSimulator.defaultState();
        state.putObject("timing").put("taskStartSeconds", 150).put("taskStopSeconds", 30)
                .put("taskFailSeconds", 30).put("relaunchDelaySeconds", 15);
        try (EcsSimulator sim = EcsSimulator.start(time, state);
             AwsServices aws = new AwsServices(sim.region(), sim.endpoint(), CREDENTIALS)) {
            EcsClient ecs = aws.ecs();
            DeployRequest request = switch (scenario) {
                case COMPLETES_AFTER_3_MIN -> DeployRequest.ofRevision(CLUSTER, "jitsi", 4);
                case CIRCUIT_BREAKER_FAILS_AFTER_2_MIN -> {
                    sim.model().setCircuitBreaker(CLUSTER, "jitsi", true, false);
                    yield DeployRequest.ofImages(CLUSTER, "jitsi", Map.of("web", "jitsi/web:broken"));
                }
                case FAILS_AND_ROLLS_BACK -> {
                    sim.model().setCircuitBreaker(CLUSTER, "jitsi", true, true);
                    yield DeployRequest.ofImages(CLUSTER, "jitsi", Map.of("web", "jitsi/web:broken"));
                }
            };
            Instant started = time.instant();
            DeployResult deployed = new DeployRevision(ecs, line -> { }).deploy(request);
            sim.resetCalls();
            String outcome;
            if (ours) {
                WaitResult r = new WaitForStable(ecs, time).await(new WaitRequest(CLUSTER, "jitsi", deployed.deploymentId(), null), line -> { });
                outcome = r.succeeded() ? "success" : "failure";
            } else {
                outcome = sdkWaiter(sim, time);
            }
            Instant returned = time.instant();
            Instant event = scenario == Scenario.COMPLETES_AFTER_3_MIN ? sim.model().rolloutEndedAt(CLUSTER, "jitsi")
                    : sim.model().firstFailureAt(CLUSTER, "jitsi", started);
            double detect = event == null ? Double.NaN : Duration.between(event, returned).toMillis() / 1000.0;
            return new Measure(outcome, detect, sim.callCount("DescribeServices"));
        }
    }

    /** The SDK's services-stable waiter with its defaults; its sleeps between attempts run in simulated time. */
    private static String sdkWaiter(EcsSimulator sim, VirtualTime time) {
        try (EcsAsyncClient async = EcsAsyncClient.builder().region(Region.of(sim.region())).endpointOverride(sim.endpoint())
                .credentialsProvider(CREDENTIALS).build();
             EcsAsyncWaiter waiter = EcsAsyncWaiter.builder().client(async).scheduledExecutorService(new VirtualScheduledExecutor(time)).build()) {
            CompletableFuture<WaiterResponse<DescribeServicesResponse>> f =
                    waiter.waitUntilServicesStable(r -> r.cluster(CLUSTER).services("jitsi"));
            try {
                WaiterResponse<DescribeServicesResponse> r = time.await(f);
                return r.matched().response().isPresent() ? "success" : "failure";
            } catch (RuntimeException e) {
                return "failure";
            }
        }
    }

    /** 200 waits over 20 services in 2 clusters, all on one simulated-time scheduler thread. */
    private static ObjectNode concurrency(ObjectNode root) {
        int clusters = 2;
        int servicesPerCluster = 10;
        int waitsPerService = 10;
        VirtualTime time = new VirtualTime(START);
        ObjectNode state = EcsSimulator.defaultState();
        ArrayNode cs = (ArrayNode) state.get("clusters");
        for (int c = 0; c < clusters; c++) {
            ArrayNode services = ((ObjectNode) cs.get(c)).putArray("services");
            String family = c == 0 ? "jitsi-meet-task-staging:5" : "jitsi-meet-task:12";
            for (int i = 0; i < servicesPerCluster; i++) {
                services.addObject().put("name", "svc-" + i).put("taskDefinition", family).put("desiredCount", 2)
                        .put("startSeconds", 30 + 15 * i);
            }
        }
        ObjectNode n = root.putObject("concurrency");
        try (EcsSimulator sim = EcsSimulator.start(time, state);
             AwsServices aws = new AwsServices(sim.region(), sim.endpoint(), CREDENTIALS)) {
            EcsClient ecs = aws.ecs();
            DeployRevision deploy = new DeployRevision(ecs, line -> { });
            WaitForStable wait = new WaitForStable(ecs, time);
            List<CompletableFuture<WaitResult>> waits = new ArrayList<>();
            Consumer<String> quiet = line -> { };
            for (int c = 0; c < clusters; c++) {
                String cluster = c == 0 ? "jitsi-staging-cluster" : "jitsi-cluster";
                String target = c == 0 ? "jitsi-meet-task-staging:4" : "jitsi-meet-task:11";
                for (int i = 0; i < servicesPerCluster; i++) {
                    DeployResult d = deploy.deploy(DeployRequest.ofTaskDefinition(cluster, "svc-" + i, target));
                    for (int k = 0; k < waitsPerService; k++) {
                        waits.add(wait.start(new WaitRequest(cluster, "svc-" + i, d.deploymentId(), null), quiet));
                    }
                }
            }
            sim.resetCalls();
            long wallStart = System.nanoTime();
            time.await(CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)));
            long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;
            Map<String, Integer> perRound = new HashMap<>();
            for (EcsSimulator.Call call : sim.callLog()) {
                if (call.operation().equals("DescribeServices")) {
                    perRound.merge(call.cluster() + "@" + call.at(), 1, Integer::sum);
                }
            }
            n.put("waits", waits.size());
            n.put("services", clusters * servicesPerCluster);
            n.put("clusters", clusters);
            n.put("servicesPerCluster", servicesPerCluster);
            n.put("schedulerThreads", 1);
            n.put("maxCallsPerClusterPerRound", perRound.values().stream().mapToInt(Integer::intValue).max().orElse(0));
            n.put("rounds", perRound.size());
            n.put("describeServicesCalls", sim.callCount("DescribeServices"));
            n.put("succeeded", waits.stream().filter(f -> f.join().succeeded()).count());
            n.put("wallMillis", wallMillis);
        }
        return n;
    }

    private static String table(List<String[]> rows, ObjectNode c) {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | expected | ours: outcome | ours: detect (s) | ours: DescribeServices | SDK waiter: outcome | SDK waiter: detect (s) | SDK waiter: DescribeServices |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (String[] r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        sb.append("\nConcurrency: ").append(c.get("waits")).append(" waits over ").append(c.get("services")).append(" services in ")
                .append(c.get("clusters")).append(" clusters on ").append(c.get("schedulerThreads")).append(" scheduler thread: ")
                .append(c.get("succeeded")).append(" succeeded, ").append(c.get("describeServicesCalls")).append(" DescribeServices calls in ")
                .append(c.get("rounds")).append(" cluster rounds, at most ").append(c.get("maxCallsPerClusterPerRound"))
                .append(" call(s) per cluster per round (")
                .append(c.get("wallMillis")).append(" ms of wall time).\n");
        return sb.toString();
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "n/a" : String.format(java.util.Locale.ROOT, "%.0f", d);
    }
}
