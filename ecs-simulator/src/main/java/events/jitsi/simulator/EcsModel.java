package events.jitsi.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clusters, services, deployments, tasks and task definitions of the simulated ECS, and how they move over
 * time. Time is read from an injected clock and the model catches up, one simulated second at a time, whenever it
 * is asked something; so a test that moves a virtual clock sees a rollout unfold exactly as it would have.
 */
public final class EcsModel {
    static final Set<String> READ_ONLY_TASK_DEFINITION_FIELDS = Set.of(
            "taskDefinitionArn", "revision", "status", "registeredAt", "registeredBy", "deregisteredAt",
            "compatibilities", "requiresAttributes");

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final String region;
    private final String accountId;
    private final Timing timing;
    private final Map<String, FailingImage> failingImages = new HashMap<>();
    private final Map<String, TreeMap<Integer, ObjectNode>> taskDefinitions = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> taskDefinitionTags = new HashMap<>();
    private final Map<String, Cluster> clusters = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong(1_700_000_000L);
    private long simulatedUpTo;

    /** How long things take in the simulated ECS, in seconds. */
    public record Timing(int taskStartSeconds, int taskStopSeconds, int taskFailSeconds, int relaunchDelaySeconds) {
        public static Timing defaults() {
            return new Timing(20, 30, 15, 10);
        }
    }

    /** An image whose tasks never run: they stop with {@code reason}. */
    public record FailingImage(String reason, boolean exitsWithCode) {
    }

    EcsModel(Clock clock, JsonNode seed) {
        this.clock = clock;
        this.region = seed.path("region").asText("eu-central-1");
        this.accountId = seed.path("accountId").asText("123456789012");
        JsonNode t = seed.path("timing");
        Timing d = Timing.defaults();
        this.timing = new Timing(t.path("taskStartSeconds").asInt(d.taskStartSeconds()),
                t.path("taskStopSeconds").asInt(d.taskStopSeconds()),
                t.path("taskFailSeconds").asInt(d.taskFailSeconds()),
                t.path("relaunchDelaySeconds").asInt(d.relaunchDelaySeconds()));
        this.simulatedUpTo = clock.instant().getEpochSecond();
        seed.path("failingImages").fields().forEachRemaining(e -> failingImages.put(e.getKey(),
                new FailingImage(e.getValue().path("reason").asText(), e.getValue().path("exitsWithCode").asBoolean())));
        for (JsonNode td : seed.path("taskDefinitions")) {
            ObjectNode input = td.deepCopy();
            int revision = input.path("revision").asInt(0);
            input.remove("revision");
            JsonNode tags = input.remove("tags");
            ObjectNode registered = register(input, revision);
            if (tags != null) {
                List<ObjectNode> list = new ArrayList<>();
                tags.forEach(tag -> list.add((ObjectNode) tag));
                taskDefinitionTags.put(registered.get("taskDefinitionArn").asText(), list);
            }
        }
        for (JsonNode c : seed.path("clusters")) {
            Cluster cluster = new Cluster(c.path("name").asText());
            clusters.put(cluster.name, cluster);
            for (JsonNode s : c.path("services")) {
                ObjectNode td = resolveTaskDefinition(s.path("taskDefinition").asText());
                Service service = new Service(cluster, s.path("name").asText(), td.get("taskDefinitionArn").asText(),
                        s.path("desiredCount").asInt(1),
                        s.path("circuitBreaker").path("enable").asBoolean(true),
                        s.path("circuitBreaker").path("rollback").asBoolean(true),
                        s.path("startSeconds").asInt(timing.taskStartSeconds()));
                cluster.services.put(service.name, service);
                service.startSteady(now());
            }
        }
    }

    // ---------------------------------------------------------------- control used by tests and the demo

    public synchronized void failImage(String image, String reason, boolean exitsWithCode) {
        failingImages.put(image, new FailingImage(reason, exitsWithCode));
    }

    /** Overrides how long new tasks of one service take to start (e.g. a slow image pull). */
    public synchronized void setStartSeconds(String cluster, String service, int seconds) {
        service(cluster, service).startSeconds = seconds;
    }

    public synchronized void setCircuitBreaker(String cluster, String service, boolean enable, boolean rollback) {
        Service s = service(cluster, service);
        s.breakerEnabled = enable;
        s.breakerRollback = rollback;
    }

    /**
     * Where a service's tasks can go: ECS's deployment limits ({@code minimumHealthyPercent}, {@code maximumPercent})
     * and how many tasks of the service fit on the cluster's instances at once ({@code hostSlots}; with EC2, bridge
     * networking and fixed host ports, as Jitsi uses, one per instance). A task that does not fit is not placed: ECS
     * says so in a service event and the rollout stalls without failed tasks.
     */
    public synchronized void setPlacement(String cluster, String service, int minimumHealthyPercent, int maximumPercent, int hostSlots) {
        catchUp();
        Service s = service(cluster, service);
        s.minimumHealthyPercent = minimumHealthyPercent;
        s.maximumPercent = maximumPercent;
        s.hostSlots = hostSlots;
    }

    /**
     * How the circuit breaker rolls back: false (default) starts a new deployment of the last COMPLETED task definition;
     * true brings the last COMPLETED deployment, still listed while its tasks run, back to IN_PROGRESS under its own id.
     */
    public synchronized void setRollbackReactivatesDeployment(String cluster, String service, boolean reactivate) {
        service(cluster, service).rollbackReactivates = reactivate;
    }

    /**
     * Gives a registered task definition a member that a newer ECS API describes and an older SDK does not know, as
     * ECS adds members over time.
     */
    public synchronized void addMemberUnknownToOlderSdks(String reference, String member, JsonNode value) {
        resolveTaskDefinition(reference).set(member, value);
    }

    /** When the newest deployment of a service reached COMPLETED or FAILED, or null if it has not. */
    public synchronized Instant rolloutEndedAt(String cluster, String service) {
        catchUp();
        Deployment primary = service(cluster, service).deployments.get(0);
        return primary.endedAt == null ? null : Instant.ofEpochSecond(primary.endedAt);
    }

    /** When the first deployment of a service since {@code since} reached FAILED, or null if none did. */
    public synchronized Instant firstFailureAt(String cluster, String service, Instant since) {
        catchUp();
        Long at = service(cluster, service).failures.stream().filter(f -> f >= since.getEpochSecond()).findFirst().orElse(null);
        return at == null ? null : Instant.ofEpochSecond(at);
    }

    public synchronized String currentTaskDefinition(String cluster, String service) {
        catchUp();
        return service(cluster, service).taskDefinition;
    }

    public synchronized ObjectNode taskDefinition(String reference) {
        return resolveTaskDefinition(reference).deepCopy();
    }

    public synchronized int newestRevision(String family) {
        TreeMap<Integer, ObjectNode> revisions = taskDefinitions.get(family);
        return revisions == null ? 0 : revisions.lastKey();
    }

    public String region() {
        return region;
    }

    // ---------------------------------------------------------------- ECS operations

    synchronized JsonNode call(String operation, JsonNode request) {
        catchUp();
        return switch (operation) {
            case "RegisterTaskDefinition" -> registerTaskDefinition(request);
            case "DescribeTaskDefinition" -> describeTaskDefinition(request);
            case "DeregisterTaskDefinition" -> deregisterTaskDefinition(request);
            case "ListTaskDefinitions" -> listTaskDefinitions(request);
            case "DescribeServices" -> describeServices(request);
            case "UpdateService" -> updateService(request);
            case "ListTasks" -> listTasks(request);
            case "DescribeTasks" -> describeTasks(request);
            case "DescribeClusters" -> describeClusters(request);
            default -> throw new EcsError("UnknownOperationException", "Operation " + operation + " is not supported by the simulator.");
        };
    }

    private JsonNode registerTaskDefinition(JsonNode request) {
        for (String field : READ_ONLY_TASK_DEFINITION_FIELDS) {
            if (request.has(field)) {
                throw EcsError.client("Unexpected field '" + field + "': it is set by ECS and cannot be registered. "
                        + "Remove read-only fields from a described task definition before registering it.");
            }
        }
        String family = request.path("family").asText("");
        if (!family.matches("[A-Za-z0-9_-]{1,255}")) {
            throw EcsError.client("Family must be 1-255 letters, numbers, hyphens and underscores.");
        }
        validateEnum(request, "networkMode", Set.of("bridge", "host", "awsvpc", "none"));
        validateEnum(request, "pidMode", Set.of("host", "task"));
        validateEnum(request, "ipcMode", Set.of("host", "task", "none"));
        for (JsonNode c : request.path("requiresCompatibilities")) {
            if (!Set.of("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES").contains(c.asText())) {
                throw EcsError.client("requiresCompatibilities: '" + c.asText() + "' is not one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES.");
            }
        }
        // Task-level cpu and memory are strings: units ("1024") or a size ("1 vCPU", "2 GB").
        for (String field : List.of("cpu", "memory")) {
            if (request.has(field) && !request.get(field).asText().matches("(?i)\\d+(\\.\\d+)?(\\s*(vcpu|gb|mb))?")) {
                throw EcsError.client("Invalid '" + field + "' value '" + request.get(field).asText() + "'.");
            }
        }
        JsonNode containers = request.path("containerDefinitions");
        if (!containers.isArray() || containers.isEmpty()) {
            throw EcsError.client("Container list cannot be empty.");
        }
        for (JsonNode c : containers) {
            if (c.path("name").asText("").isEmpty() || c.path("image").asText("").isEmpty()) {
                throw EcsError.client("Container.name and Container.image should not be null or empty.");
            }
            for (String field : List.of("cpu", "memory", "memoryReservation")) {
                if (c.has(field) && !c.get(field).isIntegralNumber()) {
                    throw EcsError.client("Container '" + c.path("name").asText() + "': " + field + " must be an integer.");
                }
            }
        }
        ObjectNode input = request.deepCopy();
        ArrayNode tags = (ArrayNode) input.remove("tags");
        ObjectNode td = register(input, 0);
        if (tags != null) {
            List<ObjectNode> list = new ArrayList<>();
            tags.forEach(tag -> list.add((ObjectNode) tag));
            taskDefinitionTags.put(td.get("taskDefinitionArn").asText(), list);
        }
        ObjectNode response = json.createObjectNode();
        response.set("taskDefinition", td);
        if (tags != null) {
            response.set("tags", tags);
        }
        return response;
    }

    private ObjectNode register(ObjectNode input, int requestedRevision) {
        String family = input.get("family").asText();
        TreeMap<Integer, ObjectNode> revisions = taskDefinitions.computeIfAbsent(family, f -> new TreeMap<>());
        int revision = requestedRevision > 0 ? requestedRevision : (revisions.isEmpty() ? 1 : revisions.lastKey() + 1);
        ObjectNode td = input.deepCopy();
        td.put("taskDefinitionArn", "arn:aws:ecs:" + region + ":" + accountId + ":task-definition/" + family + ":" + revision);
        td.put("revision", revision);
        td.put("status", "ACTIVE");
        td.put("registeredAt", (double) now());
        td.put("registeredBy", "arn:aws:iam::" + accountId + ":user/operator");
        td.putArray("compatibilities").add("EC2");
        td.putArray("requiresAttributes");
        revisions.put(revision, td);
        return td;
    }

    private JsonNode describeTaskDefinition(JsonNode request) {
        ObjectNode td = resolveTaskDefinition(request.path("taskDefinition").asText());
        ObjectNode response = json.createObjectNode();
        response.set("taskDefinition", td.deepCopy());
        for (JsonNode include : request.path("include")) {
            if (include.asText().equals("TAGS")) {
                ArrayNode tags = response.putArray("tags");
                taskDefinitionTags.getOrDefault(td.get("taskDefinitionArn").asText(), List.of()).forEach(tags::add);
            }
        }
        return response;
    }

    private JsonNode deregisterTaskDefinition(JsonNode request) {
        String reference = request.path("taskDefinition").asText();
        if (!reference.contains(":")) {
            throw EcsError.client("A revision must be given: family:revision or an ARN.");
        }
        ObjectNode td = resolveTaskDefinition(reference);
        td.put("status", "INACTIVE");
        td.put("deregisteredAt", (double) now());
        ObjectNode response = json.createObjectNode();
        response.set("taskDefinition", td.deepCopy());
        return response;
    }

    private ObjectNode resolveTaskDefinition(String reference) {
        String ref = reference.contains(":task-definition/") ? reference.substring(reference.indexOf(":task-definition/") + 17) : reference;
        String family = ref.contains(":") ? ref.substring(0, ref.indexOf(':')) : ref;
        TreeMap<Integer, ObjectNode> revisions = taskDefinitions.get(family);
        if (revisions == null || revisions.isEmpty()) {
            throw EcsError.client("Unable to describe task definition.");
        }
        if (!ref.contains(":")) {
            return revisions.lastEntry().getValue();
        }
        try {
            ObjectNode td = revisions.get(Integer.parseInt(ref.substring(ref.indexOf(':') + 1)));
            if (td == null) {
                throw EcsError.client("Unable to describe task definition.");
            }
            return td;
        } catch (NumberFormatException e) {
            throw EcsError.client("Unable to describe task definition.");
        }
    }

    private static void validateEnum(JsonNode request, String field, Set<String> allowed) {
        if (request.has(field) && !allowed.contains(request.get(field).asText())) {
            throw EcsError.client("Invalid " + field + " '" + request.get(field).asText() + "': expected one of "
                    + String.join(", ", new java.util.TreeSet<>(allowed)) + ".");
        }
    }

    private JsonNode listTaskDefinitions(JsonNode request) {
        String prefix = request.path("familyPrefix").asText("");
        String status = request.path("status").asText("ACTIVE");
        boolean descending = request.path("sort").asText("ASC").equals("DESC");
        List<ObjectNode> all = new ArrayList<>();
        taskDefinitions.forEach((family, revisions) -> {
            // ECS takes familyPrefix as the full family name, not a prefix.
            if (prefix.isEmpty() || family.equals(prefix)) {
                revisions.values().stream().filter(td -> td.get("status").asText().equals(status)).forEach(all::add);
            }
        });
        Comparator<ObjectNode> order = Comparator.comparing((ObjectNode td) -> td.get("family").asText())
                .thenComparingInt(td -> td.get("revision").asInt());
        all.sort(descending ? order.reversed() : order);
        int start = request.path("nextToken").asInt(0);
        int max = request.path("maxResults").asInt(100);
        ObjectNode response = json.createObjectNode();
        ArrayNode arns = response.putArray("taskDefinitionArns");
        for (int i = start; i < Math.min(all.size(), start + max); i++) {
            arns.add(all.get(i).get("taskDefinitionArn").asText());
        }
        if (start + max < all.size()) {
            response.put("nextToken", String.valueOf(start + max));
        }
        return response;
    }

    private JsonNode describeClusters(JsonNode request) {
        ObjectNode response = json.createObjectNode();
        ArrayNode found = response.putArray("clusters");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode name : request.path("clusters")) {
            Cluster c = clusters.get(lastSegment(name.asText()));
            if (c == null) {
                failures.addObject().put("arn", name.asText()).put("reason", "MISSING");
            } else {
                found.addObject().put("clusterArn", c.arn()).put("clusterName", c.name).put("status", "ACTIVE")
                        .put("activeServicesCount", c.services.size());
            }
        }
        return response;
    }

    private JsonNode describeServices(JsonNode request) {
        Cluster cluster = cluster(request.path("cluster").asText("default"));
        JsonNode names = request.path("services");
        if (!names.isArray() || names.isEmpty() || names.size() > 10) {
            throw EcsError.invalidParameter("services can have at most 10 items and at least 1.");
        }
        ObjectNode response = json.createObjectNode();
        ArrayNode found = response.putArray("services");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode name : names) {
            Service s = cluster.services.get(lastSegment(name.asText()));
            if (s == null) {
                failures.addObject().put("arn", "arn:aws:ecs:" + region + ":" + accountId + ":service/" + cluster.name + "/" + lastSegment(name.asText()))
                        .put("reason", "MISSING");
            } else {
                found.add(s.toJson());
            }
        }
        return response;
    }

    private JsonNode updateService(JsonNode request) {
        Cluster cluster = cluster(request.path("cluster").asText("default"));
        Service s = cluster.services.get(lastSegment(request.path("service").asText()));
        if (s == null) {
            throw new EcsError("ServiceNotFoundException", "Service not found.");
        }
        String taskDefinition = s.taskDefinition;
        if (request.hasNonNull("taskDefinition")) {
            ObjectNode td;
            try {
                td = resolveTaskDefinition(request.get("taskDefinition").asText());
            } catch (EcsError e) {
                throw EcsError.invalidParameter("TaskDefinition not found.");
            }
            if (!td.get("status").asText().equals("ACTIVE")) {
                throw EcsError.invalidParameter("TaskDefinition is inactive");
            }
            // The simulated services run on EC2 instances with bridge networking, as the seed's do.
            if (td.path("networkMode").asText("bridge").equals("awsvpc") && !request.has("networkConfiguration")) {
                throw EcsError.invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
            }
            JsonNode compatibilities = td.path("requiresCompatibilities");
            if (compatibilities.isArray() && !compatibilities.isEmpty()
                    && java.util.stream.StreamSupport.stream(compatibilities.spliterator(), false).noneMatch(c -> c.asText().equals("EC2"))) {
                throw EcsError.invalidParameter("Task definition does not support launch_type EC2.");
            }
            taskDefinition = td.get("taskDefinitionArn").asText();
        }
        if (request.hasNonNull("desiredCount")) {
            int desired = request.get("desiredCount").asInt();
            if (desired < 0) {
                throw EcsError.invalidParameter("desiredCount must be 0 or greater.");
            }
            s.desiredCount = desired;
            s.deployments.get(0).desiredCount = desired;
        }
        JsonNode configuration = request.path("deploymentConfiguration");
        if (configuration.has("minimumHealthyPercent")) {
            s.minimumHealthyPercent = configuration.get("minimumHealthyPercent").asInt();
        }
        if (configuration.has("maximumPercent")) {
            s.maximumPercent = configuration.get("maximumPercent").asInt();
        }
        JsonNode breaker = configuration.path("deploymentCircuitBreaker");
        if (!breaker.isMissingNode()) {
            s.breakerEnabled = breaker.path("enable").asBoolean();
            s.breakerRollback = breaker.path("rollback").asBoolean();
        }
        if (!taskDefinition.equals(s.taskDefinition) || request.path("forceNewDeployment").asBoolean(false)) {
            s.startDeployment(taskDefinition, now());
        }
        ObjectNode response = json.createObjectNode();
        response.set("service", s.toJson());
        return response;
    }

    private JsonNode listTasks(JsonNode request) {
        Cluster cluster = cluster(request.path("cluster").asText("default"));
        String serviceName = request.path("serviceName").asText(null);
        String startedBy = request.path("startedBy").asText(null);
        String desiredStatus = request.path("desiredStatus").asText("RUNNING");
        ObjectNode response = json.createObjectNode();
        ArrayNode arns = response.putArray("taskArns");
        for (Service s : cluster.services.values()) {
            if (serviceName != null && !s.name.equals(serviceName)) {
                continue;
            }
            if (serviceName != null && !cluster.services.containsKey(serviceName)) {
                throw new EcsError("ServiceNotFoundException", "Service not found.");
            }
            for (Task t : s.tasks) {
                if (t.desiredStatus.equals(desiredStatus) && (startedBy == null || startedBy.equals(t.deploymentId))) {
                    arns.add(t.arn);
                }
            }
        }
        return response;
    }

    private JsonNode describeTasks(JsonNode request) {
        Cluster cluster = cluster(request.path("cluster").asText("default"));
        JsonNode wanted = request.path("tasks");
        if (!wanted.isArray() || wanted.isEmpty() || wanted.size() > 100) {
            throw EcsError.invalidParameter("tasks can have at most 100 items and at least 1.");
        }
        Map<String, Task> byId = new HashMap<>();
        cluster.services.values().forEach(s -> s.tasks.forEach(t -> byId.put(lastSegment(t.arn), t)));
        ObjectNode response = json.createObjectNode();
        ArrayNode tasks = response.putArray("tasks");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode w : wanted) {
            Task t = byId.get(lastSegment(w.asText()));
            if (t == null) {
                failures.addObject().put("arn", w.asText()).put("reason", "MISSING");
            } else {
                tasks.add(t.toJson());
            }
        }
        return response;
    }

    // ---------------------------------------------------------------- time

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** Plays every simulated second between the last request and now. */
    private void catchUp() {
        long now = now();
        while (simulatedUpTo < now) {
            simulatedUpTo++;
            for (Cluster c : clusters.values()) {
                for (Service s : c.services.values()) {
                    s.step(simulatedUpTo);
                }
            }
        }
    }

    private Cluster cluster(String reference) {
        Cluster c = clusters.get(lastSegment(reference));
        if (c == null) {
            throw new EcsError("ClusterNotFoundException", "Cluster not found.");
        }
        return c;
    }

    private Service service(String cluster, String service) {
        Service s = cluster(cluster).services.get(service);
        if (s == null) {
            throw new EcsError("ServiceNotFoundException", "Service not found.");
        }
        return s;
    }

    private static String lastSegment(String reference) {
        return reference.substring(reference.lastIndexOf('/') + 1);
    }

    private String newTaskId() {
        return java.util.UUID.nameUUIDFromBytes(Long.toString(ids.incrementAndGet()).getBytes()).toString().replace("-", "");
    }

    private static int breakerThreshold(int desired) {
        return Math.min(200, Math.max(3, (int) Math.ceil(desired * 0.5)));
    }

    // ---------------------------------------------------------------- the model

    private final class Cluster {
        final String name;
        final Map<String, Service> services = new LinkedHashMap<>();

        Cluster(String name) {
            this.name = name;
        }

        String arn() {
            return "arn:aws:ecs:" + region + ":" + accountId + ":cluster/" + name;
        }
    }

    private final class Deployment {
        final String id = "ecs-svc/" + String.format("%019d", ids.incrementAndGet() * 7919L);
        final String taskDefinition;
        final long createdAt;
        int desiredCount;
        int failedTasks;
        long updatedAt;
        long nextLaunchAt;
        String rolloutState = "IN_PROGRESS";
        String rolloutStateReason;
        Long endedAt;

        Deployment(String taskDefinition, int desiredCount, long at) {
            this.taskDefinition = taskDefinition;
            this.desiredCount = desiredCount;
            this.createdAt = at;
            this.updatedAt = at;
            this.nextLaunchAt = at;
            this.rolloutStateReason = "ECS deployment " + id + " in progress.";
        }
    }

    private final class Task {
        final String arn;
        final String deploymentId;
        final String taskDefinition;
        final long createdAt;
        final FailingImage failure;
        final String failingImage;
        final long readyAt;
        String lastStatus = "PENDING";
        String desiredStatus = "RUNNING";
        Long startedAt;
        Long stoppingAt;
        Long stopAt;
        Long stoppedAt;
        String stoppedReason;
        String stopCode;
        Integer exitCode;

        Task(Cluster cluster, Deployment d, long at, int startSeconds) {
            this.arn = "arn:aws:ecs:" + region + ":" + accountId + ":task/" + cluster.name + "/" + newTaskId();
            this.deploymentId = d.id;
            this.taskDefinition = d.taskDefinition;
            this.createdAt = at;
            FailingImage f = null;
            String image = null;
            for (JsonNode c : resolveTaskDefinition(d.taskDefinition).path("containerDefinitions")) {
                FailingImage candidate = failingImages.get(c.path("image").asText());
                if (candidate != null && f == null) {
                    f = candidate;
                    image = c.path("image").asText();
                }
            }
            this.failure = f;
            this.failingImage = image;
            this.readyAt = at + (f != null ? timing.taskFailSeconds() : startSeconds);
        }

        boolean alive() {
            return !lastStatus.equals("STOPPED");
        }

        boolean stopping() {
            return stopAt != null;
        }

        ObjectNode toJson() {
            ObjectNode n = json.createObjectNode();
            n.put("taskArn", arn);
            n.put("taskDefinitionArn", taskDefinition);
            n.put("lastStatus", lastStatus);
            n.put("desiredStatus", desiredStatus);
            n.put("startedBy", deploymentId);
            n.put("launchType", "EC2");
            n.put("createdAt", (double) createdAt);
            if (startedAt != null) n.put("startedAt", (double) startedAt);
            if (stoppingAt != null) n.put("stoppingAt", (double) stoppingAt);
            if (stoppedAt != null) n.put("stoppedAt", (double) stoppedAt);
            if (stoppedReason != null) n.put("stoppedReason", stoppedReason);
            if (stopCode != null) n.put("stopCode", stopCode);
            ArrayNode containers = n.putArray("containers");
            for (JsonNode c : resolveTaskDefinition(taskDefinition).path("containerDefinitions")) {
                ObjectNode container = containers.addObject();
                container.put("name", c.path("name").asText());
                container.put("image", c.path("image").asText());
                container.put("lastStatus", lastStatus);
                if (stoppedAt != null && exitCode != null && c.path("image").asText().equals(failingImage)) {
                    container.put("exitCode", exitCode);
                    container.put("reason", "Essential container in task exited");
                }
            }
            return n;
        }
    }

    /** How long ECS keeps listing a FAILED deployment after its tasks are gone. */
    static final long FAILED_DEPLOYMENT_LISTED_SECONDS = 60;
    /** How often ECS repeats "unable to place a task" while it cannot. */
    static final long PLACEMENT_EVENT_SECONDS = 60;

    private final class Service {
        final Cluster cluster;
        final String name;
        final List<Deployment> deployments = new ArrayList<>();
        final List<Task> tasks = new ArrayList<>();
        final Deque<ObjectNode> events = new ArrayDeque<>();
        final List<Long> failures = new ArrayList<>();
        final long createdAt;
        String taskDefinition;
        String lastCompletedTaskDefinition;
        int desiredCount;
        boolean breakerEnabled;
        boolean breakerRollback;
        boolean rollbackReactivates;
        int startSeconds;
        int minimumHealthyPercent = 100;
        int maximumPercent = 200;
        int hostSlots = Integer.MAX_VALUE;
        Long lastPlacementEventAt;

        Service(Cluster cluster, String name, String taskDefinition, int desiredCount, boolean breakerEnabled,
                boolean breakerRollback, int startSeconds) {
            this.cluster = cluster;
            this.name = name;
            this.taskDefinition = taskDefinition;
            this.desiredCount = desiredCount;
            this.breakerEnabled = breakerEnabled;
            this.breakerRollback = breakerRollback;
            this.startSeconds = startSeconds;
            this.createdAt = now() - 86_400;
        }

        /** A service that has been running its task definition for a while. */
        void startSteady(long at) {
            Deployment d = new Deployment(taskDefinition, desiredCount, at - 3600);
            d.rolloutState = "COMPLETED";
            d.rolloutStateReason = "ECS deployment " + d.id + " completed.";
            deployments.add(d);
            for (int i = 0; i < desiredCount; i++) {
                Task t = new Task(cluster, d, at - 3600, 0);
                t.lastStatus = "RUNNING";
                t.startedAt = at - 3590;
                tasks.add(t);
            }
            lastCompletedTaskDefinition = taskDefinition;
            event(at - 3000, "(service " + name + ") has reached a steady state.");
        }

        void startDeployment(String newTaskDefinition, long at) {
            Deployment d = new Deployment(newTaskDefinition, desiredCount, at);
            deployments.add(0, d);
            taskDefinition = newTaskDefinition;
        }

        void event(long at, String message) {
            ObjectNode e = json.createObjectNode();
            e.put("id", java.util.UUID.nameUUIDFromBytes((name + at + message + events.size()).getBytes()).toString());
            e.put("createdAt", (double) at);
            e.put("message", message);
            events.addFirst(e);
            while (events.size() > 100) {
                events.removeLast();
            }
        }

        void step(long t) {
            // Tasks finish starting, fail, or finish stopping.
            List<String> stoppedNow = new ArrayList<>();
            for (Task task : tasks) {
                if (!task.alive()) {
                    continue;
                }
                if (task.stopping() && t >= task.stopAt) {
                    task.lastStatus = "STOPPED";
                    task.stoppedAt = t;
                } else if (task.lastStatus.equals("PENDING") && t >= task.readyAt) {
                    if (task.failure != null) {
                        task.lastStatus = "STOPPED";
                        task.desiredStatus = "STOPPED";
                        task.stoppedAt = t;
                        task.stoppingAt = t;
                        task.stoppedReason = task.failure.reason();
                        task.stopCode = task.failure.exitsWithCode() ? "EssentialContainerExited" : "TaskFailedToStart";
                        task.exitCode = task.failure.exitsWithCode() ? 1 : null;
                        Deployment d = deployment(task.deploymentId);
                        if (d != null) {
                            d.failedTasks++;
                            d.updatedAt = t;
                            d.nextLaunchAt = t + timing.relaunchDelaySeconds();
                        }
                        stoppedNow.add(task.arn);
                    } else {
                        task.lastStatus = "RUNNING";
                        task.startedAt = t;
                    }
                }
            }
            if (!stoppedNow.isEmpty()) {
                event(t, "(service " + name + ") has stopped " + stoppedNow.size() + " running tasks: " + taskList(stoppedNow) + ".");
            }

            Deployment primary = deployments.get(0);
            if (breakerEnabled && primary.rolloutState.equals("IN_PROGRESS")
                    && primary.failedTasks >= breakerThreshold(primary.desiredCount)) {
                primary.rolloutState = "FAILED";
                primary.rolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.";
                primary.endedAt = t;
                primary.updatedAt = t;
                failures.add(t);
                event(t, "(service " + name + ") (deployment " + primary.id + ") deployment failed: tasks failed to start.");
                if (breakerRollback && lastCompletedTaskDefinition != null && !lastCompletedTaskDefinition.equals(primary.taskDefinition)) {
                    Deployment completed = rollbackReactivates ? deployments.stream().skip(1)
                            .filter(d -> d.rolloutState.equals("COMPLETED") && d.taskDefinition.equals(lastCompletedTaskDefinition))
                            .findFirst().orElse(null) : null;
                    Deployment rollback;
                    if (completed != null) {
                        // ECS may bring the last COMPLETED deployment back under its own id.
                        deployments.remove(completed);
                        rollback = completed;
                        rollback.rolloutState = "IN_PROGRESS";
                        rollback.endedAt = null;
                        rollback.desiredCount = desiredCount;
                        rollback.updatedAt = t;
                    } else {
                        rollback = new Deployment(lastCompletedTaskDefinition, desiredCount, t);
                    }
                    rollback.rolloutStateReason = "ECS deployment circuit breaker: rolling back to deploymentId " + rollback.id + ".";
                    deployments.add(0, rollback);
                    taskDefinition = lastCompletedTaskDefinition;
                    event(t, "(service " + name + ") rolling back to deployment " + rollback.id + ".");
                    primary = rollback;
                }
            }

            // The primary deployment starts the tasks it is missing, unless its rollout has failed.
            final Deployment current = primary;
            if (!current.rolloutState.equals("FAILED")) {
                long active = tasks.stream().filter(x -> x.deploymentId.equals(current.id) && x.alive() && !x.stopping()).count();
                if (active < current.desiredCount && t >= current.nextLaunchAt) {
                    // A task holds its host slot (its fixed host port) until it has stopped; maximumPercent caps the total.
                    long alive = tasks.stream().filter(Task::alive).count();
                    long room = Math.min(hostSlots, (long) Math.floor(desiredCount * maximumPercent / 100.0)) - alive;
                    long toStart = Math.min(current.desiredCount - active, Math.max(0, room));
                    List<String> started = new ArrayList<>();
                    for (long i = 0; i < toStart; i++) {
                        Task task = new Task(cluster, current, t, startSeconds);
                        tasks.add(task);
                        started.add(task.arn);
                    }
                    if (!started.isEmpty()) {
                        current.updatedAt = t;
                        event(t, "(service " + name + ") has started " + started.size() + " tasks: " + taskList(started) + ".");
                    }
                    if (toStart < current.desiredCount - active
                            && (lastPlacementEventAt == null || t - lastPlacementEventAt >= PLACEMENT_EVENT_SECONDS)) {
                        lastPlacementEventAt = t;
                        event(t, "(service " + name + ") was unable to place a task because no container instance met all of its "
                                + "requirements. The closest matching (container-instance " + cluster.name + "-instance-1) is already "
                                + "using a port required by your task.");
                    }
                } else if (active > current.desiredCount) {
                    stopTasks(tasks.stream().filter(x -> x.deploymentId.equals(current.id) && x.alive() && !x.stopping())
                            .limit(active - current.desiredCount).toList(), current, t);
                }
            }

            // Older deployments drain as the primary's tasks come up, keeping minimumHealthyPercent of the desired count.
            long primaryRunning = running(primary);
            long keepOld = Math.max(0, (long) Math.ceil(desiredCount * minimumHealthyPercent / 100.0) - primaryRunning);
            List<Task> oldServing = new ArrayList<>();
            for (int i = deployments.size() - 1; i >= 1; i--) {
                Deployment d = deployments.get(i);
                d.desiredCount = 0;
                for (Task x : tasks) {
                    if (x.deploymentId.equals(d.id) && x.alive() && !x.stopping()) {
                        oldServing.add(x);
                    }
                }
            }
            if (oldServing.size() > keepOld) {
                stopTasks(oldServing.subList(0, (int) (oldServing.size() - keepOld)), primary, t);
            }
            for (Iterator<Deployment> it = deployments.listIterator(1); it.hasNext(); ) {
                Deployment d = it.next();
                // A FAILED deployment stays listed for a while after its tasks are gone, as ECS keeps it.
                boolean lingers = d.rolloutState.equals("FAILED") && d.endedAt != null && t < d.endedAt + FAILED_DEPLOYMENT_LISTED_SECONDS;
                if (!lingers && tasks.stream().noneMatch(x -> x.deploymentId.equals(d.id) && x.alive())) {
                    it.remove();
                }
            }

            if (primary.rolloutState.equals("IN_PROGRESS") && deployments.size() == 1
                    && primaryRunning == primary.desiredCount && pending(primary) == 0) {
                primary.rolloutState = "COMPLETED";
                primary.rolloutStateReason = "ECS deployment " + primary.id + " completed.";
                primary.endedAt = t;
                primary.updatedAt = t;
                lastCompletedTaskDefinition = primary.taskDefinition;
                event(t, "(service " + name + ") (deployment " + primary.id + ") deployment completed.");
                event(t, "(service " + name + ") has reached a steady state.");
            }
        }

        private void stopTasks(List<Task> toStop, Deployment by, long t) {
            if (toStop.isEmpty()) {
                return;
            }
            List<String> arns = new ArrayList<>();
            for (Task x : toStop) {
                x.desiredStatus = "STOPPED";
                x.stoppingAt = t;
                x.stopAt = t + timing.taskStopSeconds();
                x.stoppedReason = "Scaling activity initiated by (deployment " + by.id + ")";
                x.stopCode = "ServiceSchedulerInitiated";
                arns.add(x.arn);
            }
            event(t, "(service " + name + ") has begun draining connections on " + arns.size() + " tasks.");
            event(t, "(service " + name + ") has stopped " + arns.size() + " running tasks: " + taskList(arns) + ".");
        }

        private String taskList(List<String> arns) {
            StringBuilder sb = new StringBuilder();
            for (String arn : arns) {
                if (sb.length() > 0) sb.append(' ');
                sb.append("(task ").append(lastSegment(arn)).append(')');
            }
            return sb.toString();
        }

        private Deployment deployment(String id) {
            return deployments.stream().filter(d -> d.id.equals(id)).findFirst().orElse(null);
        }

        private long running(Deployment d) {
            return tasks.stream().filter(x -> x.deploymentId.equals(d.id) && x.lastStatus.equals("RUNNING")).count();
        }

        private long pending(Deployment d) {
            return tasks.stream().filter(x -> x.deploymentId.equals(d.id) && x.lastStatus.equals("PENDING")).count();
        }

        ObjectNode toJson() {
            ObjectNode n = json.createObjectNode();
            n.put("serviceArn", "arn:aws:ecs:" + region + ":" + accountId + ":service/" + cluster.name + "/" + name);
            n.put("serviceName", name);
            n.put("clusterArn", cluster.arn());
            n.put("status", "ACTIVE");
            n.put("desiredCount", desiredCount);
            n.put("runningCount", deployments.stream().mapToLong(this::running).sum());
            n.put("pendingCount", deployments.stream().mapToLong(this::pending).sum());
            n.put("launchType", "EC2");
            n.put("taskDefinition", taskDefinition);
            n.put("schedulingStrategy", "REPLICA");
            n.put("createdAt", (double) createdAt);
            n.putObject("deploymentController").put("type", "ECS");
            ObjectNode config = n.putObject("deploymentConfiguration");
            config.putObject("deploymentCircuitBreaker").put("enable", breakerEnabled).put("rollback", breakerRollback);
            config.put("maximumPercent", maximumPercent).put("minimumHealthyPercent", minimumHealthyPercent);
            ArrayNode ds = n.putArray("deployments");
            for (int i = 0; i < deployments.size(); i++) {
                Deployment d = deployments.get(i);
                ObjectNode dn = ds.addObject();
                dn.put("id", d.id);
                dn.put("status", i == 0 ? "PRIMARY" : "ACTIVE");
                dn.put("taskDefinition", d.taskDefinition);
                dn.put("desiredCount", d.desiredCount);
                dn.put("pendingCount", pending(d));
                dn.put("runningCount", running(d));
                dn.put("failedTasks", d.failedTasks);
                dn.put("createdAt", (double) d.createdAt);
                dn.put("updatedAt", (double) d.updatedAt);
                dn.put("launchType", "EC2");
                dn.put("rolloutState", d.rolloutState);
                dn.put("rolloutStateReason", d.rolloutStateReason);
            }
            ArrayNode es = n.putArray("events");
            events.forEach(es::add);
            return n;
        }
    }
}
