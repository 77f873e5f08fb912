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
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clusters, container instances, services, deployments, tasks and task definitions of the simulated ECS (one
 * region), and how they move over time. Time is read from an injected clock and the model catches up, one simulated
 * second at a time, whenever it is asked something; so a test that moves a virtual clock sees a rollout unfold exactly
 * as it would have.
 *
 * <p>Tasks are placed on the cluster's EC2 container instances as ECS places them: a task needs its CPU, its memory and
 * its fixed host ports free on one instance, and stays there until it has stopped. A rollout is bounded by the
 * service's {@code maximumPercent} and keeps {@code minimumHealthyPercent} of its tasks running; what cannot be placed
 * is said in a service event every minute and the rollout waits, without failed tasks, as ECS does.
 */
public final class EcsModel {
    static final Set<String> READ_ONLY_TASK_DEFINITION_FIELDS = Set.of(
            "taskDefinitionArn", "revision", "status", "registeredAt", "registeredBy", "deregisteredAt",
            "compatibilities", "requiresAttributes");
    /** The members of RegisterTaskDefinition (ECS API 2014-11-13), which a state file's task definitions may use. */
    static final Set<String> REGISTRATION_FIELDS = Set.of("family", "taskRoleArn", "executionRoleArn", "networkMode",
            "containerDefinitions", "volumes", "placementConstraints", "requiresCompatibilities", "cpu", "memory", "tags",
            "pidMode", "ipcMode", "proxyConfiguration", "inferenceAccelerators", "ephemeralStorage", "runtimePlatform",
            "enableFaultInjection");
    /** ECS's limit of containers in one task definition. */
    static final int MAX_CONTAINERS = 10;
    /** How long ECS keeps listing a FAILED deployment after its tasks are gone. */
    static final long FAILED_DEPLOYMENT_LISTED_SECONDS = 60;
    /** How often ECS repeats "unable to place a task" while it cannot. */
    static final long PLACEMENT_EVENT_SECONDS = 60;
    /** The longest the simulated scheduler waits between launches of tasks that keep failing (it doubles up to this). */
    static final long MAX_RELAUNCH_DELAY_SECONDS = 900;
    /** Consecutive failed launches after which the scheduler says it cannot start tasks consistently and slows down. */
    static final int THROTTLE_AFTER_FAILURES = 3;

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final String region;
    private final String accountId;
    private final Timing timing;
    private final Map<String, FailingImage> failingImages = new HashMap<>();
    private final Map<String, TreeMap<Integer, ObjectNode>> taskDefinitions = new LinkedHashMap<>();
    /** Tags by resource ARN (task definitions, clusters, services). */
    private final Map<String, Map<String, String>> tags = new HashMap<>();
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

    /** One container instance as tests and the demo see it: where it is and what runs on it. */
    public record InstanceView(String containerInstanceId, String ec2InstanceId, String type, String zone, int freeCpu,
                               int freeMemory, Set<String> portsInUse, List<String> services) {
    }

    EcsModel(Clock clock, JsonNode seed) {
        this.clock = clock;
        StateKeys.only(seed, "state", "region", "accountId", "timing", "failingImages", "taskDefinitions", "clusters");
        this.region = seed.path("region").asText("eu-central-1");
        this.accountId = seed.path("accountId").asText("123456789012");
        JsonNode t = seed.path("timing");
        StateKeys.only(t, "timing", "taskStartSeconds", "taskStopSeconds", "taskFailSeconds", "relaunchDelaySeconds");
        Timing d = Timing.defaults();
        this.timing = new Timing(t.path("taskStartSeconds").asInt(d.taskStartSeconds()),
                t.path("taskStopSeconds").asInt(d.taskStopSeconds()),
                t.path("taskFailSeconds").asInt(d.taskFailSeconds()),
                t.path("relaunchDelaySeconds").asInt(d.relaunchDelaySeconds()));
        this.simulatedUpTo = clock.instant().getEpochSecond();
        seed.path("failingImages").fields().forEachRemaining(e -> {
            StateKeys.only(e.getValue(), "failingImages." + e.getKey(), "reason", "exitsWithCode");
            failingImages.put(e.getKey(), new FailingImage(e.getValue().path("reason").asText(), e.getValue().path("exitsWithCode").asBoolean()));
        });
        int i = 0;
        for (JsonNode td : seed.path("taskDefinitions")) {
            String where = "taskDefinitions[" + i++ + "]";
            Set<String> allowed = new TreeSet<>(REGISTRATION_FIELDS);
            allowed.add("revision");
            StateKeys.only(td, where, allowed.toArray(String[]::new));
            ObjectNode input = td.deepCopy();
            int revision = input.path("revision").asInt(0);
            input.remove("revision");
            try {
                validateRegistration(input);
            } catch (EcsError e) {
                throw new InvalidStateException("state: " + where + " (" + input.path("family").asText("no family") + "): " + e.getMessage());
            }
            JsonNode tagList = input.remove("tags");
            ObjectNode registered = register(input, revision);
            tag(registered.get("taskDefinitionArn").asText(), tagList);
        }
        int c = 0;
        for (JsonNode cn : seed.path("clusters")) {
            String where = "clusters[" + c++ + "]";
            StateKeys.only(cn, where, "name", "instances", "services");
            Cluster cluster = new Cluster(StateKeys.required(cn, where, "name").asText());
            clusters.put(cluster.name, cluster);
            JsonNode instances = cn.path("instances");
            if (!instances.isArray() || instances.isEmpty()) {
                throw new InvalidStateException("state: " + where + ".instances: is missing; give the cluster's EC2 instances, e.g. "
                        + "[{\"type\": \"c5a.large\", \"zone\": \"" + region + "a\"}]");
            }
            int n = 0;
            for (JsonNode in : instances) {
                String at = where + ".instances[" + n++ + "]";
                StateKeys.only(in, at, "type", "zone", "count");
                InstanceType type;
                try {
                    type = InstanceType.of(StateKeys.required(in, at, "type").asText());
                } catch (IllegalArgumentException e) {
                    throw new InvalidStateException("state: " + at + ".type: " + e.getMessage());
                }
                int count = in.path("count").asInt(1);
                if (count < 1 || count > 100) {
                    throw new InvalidStateException("state: " + at + ".count: must be 1 to 100, got " + in.path("count"));
                }
                for (int k = 0; k < count; k++) {
                    cluster.addInstance(type, in.path("zone").asText(region + "a"));
                }
            }
            int s = 0;
            for (JsonNode sn : cn.path("services")) {
                String at = where + ".services[" + s++ + "]";
                StateKeys.only(sn, at, "name", "taskDefinition", "desiredCount", "circuitBreaker", "deploymentConfiguration", "startSeconds");
                StateKeys.only(sn.path("circuitBreaker"), at + ".circuitBreaker", "enable", "rollback");
                StateKeys.only(sn.path("deploymentConfiguration"), at + ".deploymentConfiguration", "minimumHealthyPercent", "maximumPercent");
                ObjectNode td;
                try {
                    td = resolveTaskDefinition(StateKeys.required(sn, at, "taskDefinition").asText());
                } catch (EcsError e) {
                    throw new InvalidStateException("state: " + at + ".taskDefinition: " + sn.path("taskDefinition").asText() + " is not in taskDefinitions");
                }
                Service service = new Service(cluster, StateKeys.required(sn, at, "name").asText(), td.get("taskDefinitionArn").asText(),
                        sn.path("desiredCount").asInt(1),
                        sn.path("circuitBreaker").path("enable").asBoolean(true),
                        sn.path("circuitBreaker").path("rollback").asBoolean(true),
                        sn.path("startSeconds").asInt(timing.taskStartSeconds()));
                JsonNode config = sn.path("deploymentConfiguration");
                try {
                    service.minimumHealthyPercent = deploymentPercent(config, "minimumHealthyPercent", 100, 0, 100);
                    service.maximumPercent = deploymentPercent(config, "maximumPercent", 200, 100, 200);
                    checkDeploymentPercents(service.minimumHealthyPercent, service.maximumPercent);
                } catch (EcsError e) {
                    throw new InvalidStateException("state: " + at + ".deploymentConfiguration: " + e.getMessage());
                }
                cluster.services.put(service.name, service);
                String unplaced = service.startSteady(now());
                if (unplaced != null) {
                    throw new InvalidStateException("state: " + at + " (" + service.name + "): its " + service.desiredCount
                            + " task(s) do not fit on the instances of " + cluster.name + ": " + unplaced);
                }
            }
        }
    }

    /** A state with this region and nothing in it: what a request signed for another region sees. */
    static ObjectNode emptyState(String region, String accountId) {
        ObjectNode state = new ObjectMapper().createObjectNode();
        state.put("region", region);
        state.put("accountId", accountId);
        return state;
    }

    String accountId() {
        return accountId;
    }

    // ---------------------------------------------------------------- control used by tests and the demo

    public synchronized void failImage(String image, String reason, boolean exitsWithCode) {
        failingImages.put(image, new FailingImage(reason, exitsWithCode));
    }

    /** Tasks of {@code image} start again from now on (the registry is back, the bug is fixed). */
    public synchronized void healImage(String image) {
        catchUp();
        failingImages.remove(image);
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
     * A service's deployment limits, as an operator would set them in the console: {@code minimumHealthyPercent} of
     * the desired tasks keep running during a rollout, at most {@code maximumPercent} run at once.
     */
    public synchronized void setDeploymentConfiguration(String cluster, String service, int minimumHealthyPercent, int maximumPercent) {
        catchUp();
        checkDeploymentPercents(minimumHealthyPercent, maximumPercent);
        Service s = service(cluster, service);
        s.minimumHealthyPercent = minimumHealthyPercent;
        s.maximumPercent = maximumPercent;
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

    /** The container instances of a cluster, with what their tasks hold now. */
    public synchronized List<InstanceView> instances(String cluster) {
        catchUp();
        Cluster c = cluster(cluster);
        List<InstanceView> out = new ArrayList<>();
        for (ContainerInstance ci : c.instances) {
            List<String> services = new ArrayList<>();
            c.services.values().forEach(s -> s.tasks.stream().filter(x -> x.alive() && x.instance == ci).forEach(x -> services.add(s.name)));
            out.add(new InstanceView(ci.id, ci.ec2InstanceId, ci.type.name(), ci.zone, ci.freeCpu(), ci.freeMemory(), ci.portsInUse(), services));
        }
        return out;
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
            case "ListServices" -> listServices(request);
            case "ListTasks" -> listTasks(request);
            case "DescribeTasks" -> describeTasks(request);
            case "DescribeClusters" -> describeClusters(request);
            case "ListClusters" -> listClusters(request);
            case "ListContainerInstances" -> listContainerInstances(request);
            case "DescribeContainerInstances" -> describeContainerInstances(request);
            case "TagResource" -> tagResource(request);
            case "UntagResource" -> untagResource(request);
            case "ListTagsForResource" -> listTagsForResource(request);
            default -> throw new EcsError("UnknownOperationException", "Operation " + operation + " is not supported by the simulator.");
        };
    }

    /** RegisterTaskDefinition's checks, as ECS answers them with ClientException. */
    private static void validateRegistration(JsonNode request) {
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
        boolean fargate = false;
        for (JsonNode c : request.path("requiresCompatibilities")) {
            if (!Set.of("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES").contains(c.asText())) {
                throw EcsError.client("requiresCompatibilities: '" + c.asText() + "' is not one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES.");
            }
            fargate |= c.asText().equals("FARGATE");
        }
        // Task-level cpu and memory are strings: units ("1024") or a size ("1 vCPU", "2 GB").
        for (String field : List.of("cpu", "memory")) {
            if (request.has(field) && !request.get(field).asText().matches("(?i)\\d+(\\.\\d+)?(\\s*(vcpu|gb|mb))?")) {
                throw EcsError.client("Invalid '" + field + "' value '" + request.get(field).asText() + "'.");
            }
        }
        String networkMode = request.path("networkMode").asText(fargate ? "awsvpc" : "bridge");
        if (fargate) {
            checkFargate(request, networkMode);
        }
        JsonNode containers = request.path("containerDefinitions");
        if (!containers.isArray() || containers.isEmpty()) {
            throw EcsError.client("Container list cannot be empty.");
        }
        if (containers.size() > MAX_CONTAINERS) {
            throw EcsError.client("Too many containers: a task definition may have at most " + MAX_CONTAINERS + ", this one has "
                    + containers.size() + ".");
        }
        boolean taskMemory = TaskNeeds.units(request.path("memory").asText(""), false) > 0;
        Set<String> names = new HashSet<>();
        for (JsonNode c : containers) {
            String name = c.path("name").asText("");
            if (name.isEmpty() || c.path("image").asText("").isEmpty()) {
                throw EcsError.client("Container.name and Container.image should not be null or empty.");
            }
            if (!names.add(name)) {
                throw EcsError.client("Duplicate container name '" + name + "': container names must be unique within a task definition.");
            }
            for (String field : List.of("cpu", "memory", "memoryReservation")) {
                if (c.has(field) && !c.get(field).isIntegralNumber()) {
                    throw EcsError.client("Container '" + name + "': " + field + " must be an integer.");
                }
            }
            if (!taskMemory && !c.has("memory") && !c.has("memoryReservation")) {
                throw EcsError.client("Invalid setting for container '" + name + "'. At least one of 'memory' or 'memoryReservation' must be "
                        + "specified.");
            }
            if (networkMode.equals("awsvpc")) {
                for (JsonNode p : c.path("portMappings")) {
                    if (p.has("hostPort") && p.path("hostPort").asInt() != p.path("containerPort").asInt()) {
                        throw EcsError.client("When networkMode=awsvpc, the host ports and container ports in port mappings must match.");
                    }
                }
            }
        }
    }

    /** Fargate runs awsvpc tasks only, of a task-level size from its table of CPU and memory pairs. */
    private static void checkFargate(JsonNode request, String networkMode) {
        if (!networkMode.equals("awsvpc")) {
            throw EcsError.client("Fargate only supports network mode 'awsvpc'.");
        }
        int cpu = TaskNeeds.units(request.path("cpu").asText(""), true);
        int memory = TaskNeeds.units(request.path("memory").asText(""), false);
        if (cpu == 0 || memory == 0) {
            throw EcsError.client("Fargate requires that 'cpu' and 'memory' be defined at the task level.");
        }
        boolean valid = switch (cpu) {
            case 256 -> memory == 512 || memory == 1024 || memory == 2048;
            case 512 -> memory >= 1024 && memory <= 4096 && memory % 1024 == 0;
            case 1024 -> memory >= 2048 && memory <= 8192 && memory % 1024 == 0;
            case 2048 -> memory >= 4096 && memory <= 16384 && memory % 1024 == 0;
            case 4096 -> memory >= 8192 && memory <= 30720 && memory % 1024 == 0;
            case 8192 -> memory >= 16384 && memory <= 61440 && memory % 4096 == 0;
            case 16384 -> memory >= 32768 && memory <= 122880 && memory % 8192 == 0;
            default -> false;
        };
        if (!valid) {
            throw EcsError.client("No Fargate configuration exists for given values: " + cpu + " CPU, " + memory + " memory. "
                    + "See the Amazon ECS documentation for the valid values.");
        }
    }

    private JsonNode registerTaskDefinition(JsonNode request) {
        validateRegistration(request);
        ObjectNode input = request.deepCopy();
        JsonNode tagList = input.remove("tags");
        ObjectNode td = register(input, 0);
        tag(td.get("taskDefinitionArn").asText(), tagList);
        ObjectNode response = json.createObjectNode();
        response.set("taskDefinition", td);
        if (tagList != null) {
            response.set("tags", tagList);
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
                response.set("tags", tagsJson(td.get("taskDefinitionArn").asText()));
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

    /** FAMILY:REVISION or an ARN as given; a family alone is its newest ACTIVE revision, as ECS resolves it. */
    private ObjectNode resolveTaskDefinition(String reference) {
        String ref = reference.contains(":task-definition/") ? reference.substring(reference.indexOf(":task-definition/") + 17) : reference;
        String family = ref.contains(":") ? ref.substring(0, ref.indexOf(':')) : ref;
        TreeMap<Integer, ObjectNode> revisions = taskDefinitions.get(family);
        if (revisions == null || revisions.isEmpty()) {
            throw EcsError.client("Unable to describe task definition.");
        }
        if (!ref.contains(":")) {
            return revisions.descendingMap().values().stream().filter(td -> td.get("status").asText().equals("ACTIVE")).findFirst()
                    .orElseThrow(() -> EcsError.client("Unable to describe task definition."));
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
                    + String.join(", ", new TreeSet<>(allowed)) + ".");
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
        ObjectNode response = json.createObjectNode();
        Paging.page("ListTaskDefinitions", all.stream().map(td -> td.get("taskDefinitionArn").asText()).toList(), request, 100,
                response, "taskDefinitionArns");
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
                        .put("registeredContainerInstancesCount", c.instances.size())
                        .put("runningTasksCount", c.services.values().stream().mapToLong(s -> s.tasks.stream()
                                .filter(x -> x.lastStatus.equals("RUNNING")).count()).sum())
                        .put("pendingTasksCount", c.services.values().stream().mapToLong(s -> s.tasks.stream()
                                .filter(x -> x.lastStatus.equals("PENDING")).count()).sum())
                        .put("activeServicesCount", c.services.size());
            }
        }
        return response;
    }

    private JsonNode listClusters(JsonNode request) {
        ObjectNode response = json.createObjectNode();
        Paging.page("ListClusters", clusters.values().stream().map(Cluster::arn).toList(), request, 100, response, "clusterArns");
        return response;
    }

    private JsonNode listServices(JsonNode request) {
        Cluster cluster = cluster(request.path("cluster").asText("default"));
        ObjectNode response = json.createObjectNode();
        Paging.page("ListServices", cluster.services.values().stream().map(Service::arn).toList(), request, 10, response, "serviceArns");
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

    private static int deploymentPercent(JsonNode configuration, String field, int fallback, int min, int max) {
        JsonNode v = configuration.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw EcsError.invalidParameter(field + " must be an integer from " + min + " to " + max + ", got " + v + ".");
        }
        return v.asInt();
    }

    private static void checkDeploymentPercents(int minimumHealthyPercent, int maximumPercent) {
        if (minimumHealthyPercent < 0 || minimumHealthyPercent > 100) {
            throw EcsError.invalidParameter("minimumHealthyPercent must be an integer from 0 to 100, got " + minimumHealthyPercent + ".");
        }
        if (maximumPercent < 100 || maximumPercent > 200) {
            throw EcsError.invalidParameter("maximumPercent must be an integer from 100 to 200, got " + maximumPercent + ".");
        }
        if (maximumPercent <= minimumHealthyPercent) {
            throw EcsError.invalidParameter("maximumPercent (" + maximumPercent + ") must be greater than minimumHealthyPercent ("
                    + minimumHealthyPercent + "): a rollout could neither start a new task nor stop an old one.");
        }
    }

    private JsonNode updateService(JsonNode request) {
        Cluster cluster = cluster(request.path("cluster").asText("default"));
        Service s = cluster.services.get(lastSegment(request.path("service").asText()));
        if (s == null) {
            throw new EcsError("ServiceNotFoundException", "Service not found.");
        }
        // Everything is checked before anything changes, as ECS does.
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
        Integer desired = null;
        if (request.hasNonNull("desiredCount")) {
            if (!request.get("desiredCount").isIntegralNumber() || request.get("desiredCount").asInt() < 0) {
                throw EcsError.invalidParameter("desiredCount must be 0 or greater.");
            }
            desired = request.get("desiredCount").asInt();
        }
        JsonNode configuration = request.path("deploymentConfiguration");
        int minimum = deploymentPercent(configuration, "minimumHealthyPercent", s.minimumHealthyPercent, 0, 100);
        int maximum = deploymentPercent(configuration, "maximumPercent", s.maximumPercent, 100, 200);
        checkDeploymentPercents(minimum, maximum);
        s.minimumHealthyPercent = minimum;
        s.maximumPercent = maximum;
        JsonNode breaker = configuration.path("deploymentCircuitBreaker");
        if (!breaker.isMissingNode()) {
            s.breakerEnabled = breaker.path("enable").asBoolean();
            s.breakerRollback = breaker.path("rollback").asBoolean();
        }
        if (desired != null) {
            s.desiredCount = desired;
            s.deployments.get(0).desiredCount = desired;
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
        String serviceName = request.hasNonNull("serviceName") ? lastSegment(request.get("serviceName").asText()) : null;
        if (serviceName != null && !cluster.services.containsKey(serviceName)) {
            throw new EcsError("ServiceNotFoundException", "Service not found.");
        }
        String family = request.path("family").asText(null);
        String startedBy = request.path("startedBy").asText(null);
        String instance = request.hasNonNull("containerInstance") ? lastSegment(request.get("containerInstance").asText()) : null;
        String desiredStatus = request.path("desiredStatus").asText("RUNNING");
        if (!Set.of("RUNNING", "PENDING", "STOPPED").contains(desiredStatus)) {
            throw EcsError.invalidParameter("desiredStatus must be RUNNING, PENDING or STOPPED.");
        }
        List<String> arns = new ArrayList<>();
        for (Service s : cluster.services.values()) {
            if (serviceName != null && !s.name.equals(serviceName)) {
                continue;
            }
            for (Task t : s.tasks) {
                boolean status = desiredStatus.equals("PENDING") ? t.desiredStatus.equals("RUNNING") && t.lastStatus.equals("PENDING")
                        : t.desiredStatus.equals(desiredStatus);
                if (status && (startedBy == null || startedBy.equals(t.deploymentId))
                        && (family == null || family.equals(familyOf(t.taskDefinition)))
                        && (instance == null || instance.equals(t.instance.id))) {
                    arns.add(t.arn);
                }
            }
        }
        ObjectNode response = json.createObjectNode();
        Paging.page("ListTasks", arns, request, 100, response, "taskArns");
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

    private JsonNode listContainerInstances(JsonNode request) {
        Cluster cluster = cluster(request.path("cluster").asText("default"));
        String status = request.path("status").asText("ACTIVE");
        ObjectNode response = json.createObjectNode();
        Paging.page("ListContainerInstances", status.equals("ACTIVE") ? cluster.instances.stream().map(ContainerInstance::arn).toList()
                : List.of(), request, 100, response, "containerInstanceArns");
        return response;
    }

    private JsonNode describeContainerInstances(JsonNode request) {
        Cluster cluster = cluster(request.path("cluster").asText("default"));
        JsonNode wanted = request.path("containerInstances");
        if (!wanted.isArray() || wanted.isEmpty() || wanted.size() > 100) {
            throw EcsError.invalidParameter("containerInstances can have at most 100 items and at least 1.");
        }
        ObjectNode response = json.createObjectNode();
        ArrayNode found = response.putArray("containerInstances");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode w : wanted) {
            ContainerInstance ci = cluster.instances.stream().filter(i -> i.id.equals(lastSegment(w.asText()))).findFirst().orElse(null);
            if (ci == null) {
                failures.addObject().put("arn", w.asText()).put("reason", "MISSING");
            } else {
                found.add(ci.toJson());
            }
        }
        return response;
    }

    private JsonNode tagResource(JsonNode request) {
        String arn = taggable(request.path("resourceArn").asText());
        JsonNode list = request.path("tags");
        if (!list.isArray() || list.isEmpty()) {
            throw EcsError.invalidParameter("tags must have at least one tag.");
        }
        tag(arn, list);
        return json.createObjectNode();
    }

    private JsonNode untagResource(JsonNode request) {
        String arn = taggable(request.path("resourceArn").asText());
        Map<String, String> existing = tags.getOrDefault(arn, new LinkedHashMap<>());
        request.path("tagKeys").forEach(k -> existing.remove(k.asText()));
        return json.createObjectNode();
    }

    private JsonNode listTagsForResource(JsonNode request) {
        String arn = taggable(request.path("resourceArn").asText());
        ObjectNode response = json.createObjectNode();
        response.set("tags", tagsJson(arn));
        return response;
    }

    /** The ARN of a cluster, service or task definition of this model; anything else is refused as ECS refuses it. */
    private String taggable(String arn) {
        if (arn.contains(":task-definition/")) {
            return resolveTaskDefinition(arn).get("taskDefinitionArn").asText();
        }
        for (Cluster c : clusters.values()) {
            if (c.arn().equals(arn)) {
                return arn;
            }
            for (Service s : c.services.values()) {
                if (s.arn().equals(arn)) {
                    return arn;
                }
            }
        }
        throw EcsError.invalidParameter("The specified resource " + arn + " is not found.");
    }

    private void tag(String arn, JsonNode list) {
        if (list == null || !list.isArray()) {
            return;
        }
        Map<String, String> map = tags.computeIfAbsent(arn, k -> new LinkedHashMap<>());
        list.forEach(t -> map.put(t.path("key").asText(), t.path("value").asText()));
    }

    private ArrayNode tagsJson(String arn) {
        ArrayNode out = json.createArrayNode();
        tags.getOrDefault(arn, Map.of()).forEach((k, v) -> out.addObject().put("key", k).put("value", v));
        return out;
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

    private static String familyOf(String taskDefinitionArn) {
        String name = lastSegment(taskDefinitionArn);
        return name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
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
        final List<ContainerInstance> instances = new ArrayList<>();
        final Map<String, Service> services = new LinkedHashMap<>();

        Cluster(String name) {
            this.name = name;
        }

        String arn() {
            return "arn:aws:ecs:" + region + ":" + accountId + ":cluster/" + name;
        }

        void addInstance(InstanceType type, String zone) {
            instances.add(new ContainerInstance(this, type, zone));
        }

        /** Every task placed on {@code instance} that has not stopped yet: it holds its CPU, memory and ports. */
        List<Task> tasksOn(ContainerInstance instance) {
            List<Task> on = new ArrayList<>();
            services.values().forEach(s -> s.tasks.stream().filter(t -> t.alive() && t.instance == instance).forEach(on::add));
            return on;
        }
    }

    /** An EC2 instance registered in a cluster. */
    private final class ContainerInstance {
        final Cluster cluster;
        final String id = newTaskId();
        final String ec2InstanceId = "i-0" + newTaskId().substring(0, 16);
        final InstanceType type;
        final String zone;
        final long registeredAt = now() - 86_400;

        ContainerInstance(Cluster cluster, InstanceType type, String zone) {
            this.cluster = cluster;
            this.type = type;
            this.zone = zone;
        }

        String arn() {
            return "arn:aws:ecs:" + region + ":" + accountId + ":container-instance/" + cluster.name + "/" + id;
        }

        int freeCpu() {
            return type.cpuUnits() - cluster.tasksOn(this).stream().mapToInt(t -> t.needs.cpu()).sum();
        }

        int freeMemory() {
            return type.registeredMemory() - cluster.tasksOn(this).stream().mapToInt(t -> t.needs.memory()).sum();
        }

        Set<String> portsInUse() {
            Set<String> ports = new TreeSet<>();
            cluster.tasksOn(this).forEach(t -> ports.addAll(t.needs.hostPorts()));
            return ports;
        }

        /** Why a task with {@code needs} cannot go here (ECS's words), or null when it can. */
        String refuses(TaskNeeds needs) {
            Set<String> used = portsInUse();
            if (needs.hostPorts().stream().anyMatch(used::contains)) {
                return "is already using a port required by your task";
            }
            if (needs.memory() > freeMemory()) {
                return "has insufficient memory available";
            }
            if (needs.cpu() > freeCpu()) {
                return "has insufficient CPU units available";
            }
            return null;
        }

        ObjectNode toJson() {
            ObjectNode n = json.createObjectNode();
            n.put("containerInstanceArn", arn());
            n.put("ec2InstanceId", ec2InstanceId);
            n.put("status", "ACTIVE");
            n.put("agentConnected", true);
            n.put("runningTasksCount", cluster.tasksOn(this).stream().filter(t -> t.lastStatus.equals("RUNNING")).count());
            n.put("pendingTasksCount", cluster.tasksOn(this).stream().filter(t -> t.lastStatus.equals("PENDING")).count());
            n.put("registeredAt", (double) registeredAt);
            resources(n.putArray("registeredResources"), type.cpuUnits(), type.registeredMemory(), Set.of());
            resources(n.putArray("remainingResources"), freeCpu(), freeMemory(), portsInUse());
            ArrayNode attributes = n.putArray("attributes");
            attributes.addObject().put("name", "ecs.instance-type").put("value", type.name());
            attributes.addObject().put("name", "ecs.availability-zone").put("value", zone);
            attributes.addObject().put("name", "ecs.os-type").put("value", "linux");
            n.putObject("versionInfo").put("agentVersion", "1.99.0").put("dockerVersion", "DockerVersion: 25.0.8");
            return n;
        }

        private void resources(ArrayNode out, int cpu, int memory, Set<String> ports) {
            out.addObject().put("name", "CPU").put("type", "INTEGER").put("integerValue", cpu);
            out.addObject().put("name", "MEMORY").put("type", "INTEGER").put("integerValue", memory);
            ArrayNode tcp = out.addObject().put("name", "PORTS").put("type", "STRINGSET").putArray("stringSetValue");
            ports.stream().filter(p -> p.startsWith("tcp/")).forEach(p -> tcp.add(p.substring(4)));
            ArrayNode udp = out.addObject().put("name", "PORTS_UDP").put("type", "STRINGSET").putArray("stringSetValue");
            ports.stream().filter(p -> p.startsWith("udp/")).forEach(p -> udp.add(p.substring(4)));
        }
    }

    private final class Deployment {
        final String id = "ecs-svc/" + String.format("%019d", ids.incrementAndGet() * 7919L);
        final String taskDefinition;
        final long createdAt;
        int desiredCount;
        int failedTasks;
        /** Failed launches in a row; reset by a task that runs. */
        int consecutiveFailures;
        /** Once a task of the deployment ran, failures are no longer counted (ECS's failedTasks). */
        boolean hadRunningTask;
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
        final String group;
        final ContainerInstance instance;
        final TaskNeeds needs;
        final long createdAt;
        final FailingImage failure;
        final String failingContainer;
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

        Task(Service service, Deployment d, ContainerInstance instance, long at, int startSeconds) {
            this.arn = "arn:aws:ecs:" + region + ":" + accountId + ":task/" + service.cluster.name + "/" + newTaskId();
            this.deploymentId = d.id;
            this.taskDefinition = d.taskDefinition;
            this.group = "service:" + service.name;
            this.instance = instance;
            this.createdAt = at;
            ObjectNode td = resolveTaskDefinition(d.taskDefinition);
            this.needs = TaskNeeds.of(td);
            FailingImage f = null;
            String container = null;
            for (JsonNode c : td.path("containerDefinitions")) {
                FailingImage candidate = failingImages.get(c.path("image").asText());
                if (candidate != null && f == null) {
                    f = candidate;
                    container = c.path("name").asText();
                }
            }
            this.failure = f;
            this.failingContainer = container;
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
            n.put("clusterArn", instance.cluster.arn());
            n.put("taskDefinitionArn", taskDefinition);
            n.put("containerInstanceArn", instance.arn());
            n.put("availabilityZone", instance.zone);
            n.put("group", group);
            n.put("lastStatus", lastStatus);
            n.put("desiredStatus", desiredStatus);
            n.put("startedBy", deploymentId);
            n.put("launchType", "EC2");
            n.put("cpu", String.valueOf(needs.cpu()));
            n.put("memory", String.valueOf(needs.memory()));
            n.put("createdAt", (double) createdAt);
            if (startedAt != null) n.put("startedAt", (double) startedAt);
            if (stoppingAt != null) n.put("stoppingAt", (double) stoppingAt);
            if (stoppedAt != null) n.put("stoppedAt", (double) stoppedAt);
            if (stoppedReason != null) n.put("stoppedReason", stoppedReason);
            if (stopCode != null) n.put("stopCode", stopCode);
            ArrayNode containers = n.putArray("containers");
            for (JsonNode c : resolveTaskDefinition(taskDefinition).path("containerDefinitions")) {
                ObjectNode container = containers.addObject();
                container.put("containerArn", arn.replace(":task/", ":container/") + "/" + c.path("name").asText());
                container.put("taskArn", arn);
                container.put("name", c.path("name").asText());
                container.put("image", c.path("image").asText());
                container.put("lastStatus", lastStatus);
                if (stoppedAt != null && failure != null && c.path("name").asText().equals(failingContainer)) {
                    if (exitCode != null) {
                        container.put("exitCode", exitCode);
                    } else {
                        // A container that never started says why on itself: the image could not be pulled.
                        container.put("reason", failure.reason());
                    }
                }
            }
            return n;
        }
    }

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

        String arn() {
            return "arn:aws:ecs:" + region + ":" + accountId + ":service/" + cluster.name + "/" + name;
        }

        /** A service that has been running its task definition for a while; why its tasks do not fit, or null. */
        String startSteady(long at) {
            Deployment d = new Deployment(taskDefinition, desiredCount, at - 3600);
            d.rolloutState = "COMPLETED";
            d.rolloutStateReason = "ECS deployment " + d.id + " completed.";
            d.hadRunningTask = true;
            deployments.add(d);
            TaskNeeds needs = TaskNeeds.of(resolveTaskDefinition(taskDefinition));
            for (int i = 0; i < desiredCount; i++) {
                ContainerInstance where = place(needs);
                if (where == null) {
                    return whyUnplaced(needs);
                }
                Task t = new Task(this, d, where, at - 3600, 0);
                t.lastStatus = "RUNNING";
                t.startedAt = at - 3590;
                tasks.add(t);
            }
            lastCompletedTaskDefinition = taskDefinition;
            event(at - 3000, "(service " + name + ") has reached a steady state.");
            return null;
        }

        /**
         * The instance a new task goes to, or null when none has its CPU, memory and host ports free: spread over the
         * instances (the one with fewest tasks of this service first), as ECS's default for services.
         */
        ContainerInstance place(TaskNeeds needs) {
            return cluster.instances.stream().filter(i -> i.refuses(needs) == null)
                    .min(Comparator.comparingLong((ContainerInstance i) -> tasks.stream().filter(t -> t.alive() && t.instance == i).count())
                            .thenComparing(i -> -i.freeMemory()))
                    .orElse(null);
        }

        /** ECS's event for a task that fits no instance, naming the closest match and what it lacks. */
        String whyUnplaced(TaskNeeds needs) {
            ContainerInstance closest = cluster.instances.stream()
                    .min(Comparator.comparingInt((ContainerInstance i) -> i.refuses(needs).startsWith("is already") ? 0 : 1)
                            .thenComparing(i -> -i.freeMemory()))
                    .orElse(null);
            if (closest == null) {
                return "(service " + name + ") was unable to place a task because no container instances were found in your cluster.";
            }
            return "(service " + name + ") was unable to place a task because no container instance met all of its requirements. "
                    + "The closest matching (container-instance " + closest.id + ") " + closest.refuses(needs)
                    + ". For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.";
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
            finishStartsAndStops(t);
            Deployment primary = tripBreaker(deployments.get(0), t);
            launch(primary, t);
            drainOlder(primary, t);
            if (primary.rolloutState.equals("IN_PROGRESS") && deployments.size() == 1
                    && running(primary) == primary.desiredCount && pending(primary) == 0) {
                primary.rolloutState = "COMPLETED";
                primary.rolloutStateReason = "ECS deployment " + primary.id + " completed.";
                primary.endedAt = t;
                primary.updatedAt = t;
                lastCompletedTaskDefinition = primary.taskDefinition;
                event(t, "(service " + name + ") (deployment " + primary.id + ") deployment completed.");
                event(t, "(service " + name + ") has reached a steady state.");
            }
        }

        /** Tasks finish starting, fail, or finish stopping. */
        private void finishStartsAndStops(long t) {
            List<String> stoppedNow = new ArrayList<>();
            for (Task task : tasks) {
                if (!task.alive()) {
                    continue;
                }
                if (task.stopping() && t >= task.stopAt) {
                    task.lastStatus = "STOPPED";
                    task.stoppedAt = t;
                } else if (task.lastStatus.equals("PENDING") && t >= task.readyAt) {
                    Deployment d = deployment(task.deploymentId);
                    if (task.failure != null) {
                        task.lastStatus = "STOPPED";
                        task.desiredStatus = "STOPPED";
                        task.stoppedAt = t;
                        task.stoppingAt = t;
                        task.stoppedReason = task.failure.reason();
                        task.stopCode = task.failure.exitsWithCode() ? "EssentialContainerExited" : "TaskFailedToStart";
                        task.exitCode = task.failure.exitsWithCode() ? 1 : null;
                        if (d != null) {
                            launchFailed(d, t);
                        }
                        stoppedNow.add(task.arn);
                    } else {
                        task.lastStatus = "RUNNING";
                        task.startedAt = t;
                        if (d != null) {
                            // ECS: once a deployment has a running task, its failed count resets and is no longer evaluated.
                            d.hadRunningTask = true;
                            d.failedTasks = 0;
                            d.consecutiveFailures = 0;
                        }
                    }
                }
            }
            if (!stoppedNow.isEmpty()) {
                event(t, "(service " + name + ") has stopped " + stoppedNow.size() + " running tasks: " + taskList(stoppedNow) + ".");
            }
        }

        /** A task of {@code d} failed to start: counted, and the next launch waits longer each time (ECS's service throttle). */
        private void launchFailed(Deployment d, long t) {
            if (!d.hadRunningTask) {
                d.failedTasks++;
            }
            d.consecutiveFailures++;
            d.updatedAt = t;
            long delay = Math.min(MAX_RELAUNCH_DELAY_SECONDS, (long) timing.relaunchDelaySeconds() << Math.min(20, Math.max(0, d.consecutiveFailures - 1)));
            d.nextLaunchAt = t + delay;
            if (d.consecutiveFailures >= THROTTLE_AFTER_FAILURES && !breakerEnabled) {
                event(t, "(service " + name + ") is unable to consistently start tasks successfully. For more information, see the "
                        + "Troubleshooting section of the Amazon ECS Developer Guide.");
            }
        }

        /** The circuit breaker fails the primary deployment and, with rollback, puts the last COMPLETED definition back. */
        private Deployment tripBreaker(Deployment primary, long t) {
            if (!breakerEnabled || !primary.rolloutState.equals("IN_PROGRESS") || primary.failedTasks < breakerThreshold(primary.desiredCount)) {
                return primary;
            }
            primary.rolloutState = "FAILED";
            primary.rolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.";
            primary.endedAt = t;
            primary.updatedAt = t;
            failures.add(t);
            event(t, "(service " + name + ") (deployment " + primary.id + ") deployment failed: tasks failed to start.");
            if (!breakerRollback || lastCompletedTaskDefinition == null || lastCompletedTaskDefinition.equals(primary.taskDefinition)) {
                return primary;
            }
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
            return rollback;
        }

        /**
         * The primary deployment starts the tasks it is missing, unless its rollout has failed: as many as
         * {@code maximumPercent} allows (tasks hold their place until stopped), each on an instance with room.
         */
        private void launch(Deployment current, long t) {
            if (current.rolloutState.equals("FAILED")) {
                return;
            }
            long active = tasks.stream().filter(x -> x.deploymentId.equals(current.id) && x.alive() && !x.stopping()).count();
            if (active < current.desiredCount && t >= current.nextLaunchAt) {
                long alive = tasks.stream().filter(Task::alive).count();
                long room = (long) Math.floor(desiredCount * maximumPercent / 100.0) - alive;
                long wanted = Math.min(current.desiredCount - active, Math.max(0, room));
                TaskNeeds needs = TaskNeeds.of(resolveTaskDefinition(current.taskDefinition));
                List<String> started = new ArrayList<>();
                String unplaced = null;
                for (long i = 0; i < wanted; i++) {
                    ContainerInstance where = place(needs);
                    if (where == null) {
                        unplaced = whyUnplaced(needs);
                        break;
                    }
                    Task task = new Task(this, current, where, t, startSeconds);
                    tasks.add(task);
                    started.add(task.arn);
                }
                if (!started.isEmpty()) {
                    current.updatedAt = t;
                    event(t, "(service " + name + ") has started " + started.size() + " tasks: " + taskList(started) + ".");
                }
                if (unplaced != null && (lastPlacementEventAt == null || t - lastPlacementEventAt >= PLACEMENT_EVENT_SECONDS)) {
                    lastPlacementEventAt = t;
                    event(t, unplaced);
                }
            } else if (active > current.desiredCount) {
                stopTasks(tasks.stream().filter(x -> x.deploymentId.equals(current.id) && x.alive() && !x.stopping())
                        .limit(active - current.desiredCount).toList(), current, t);
            }
        }

        /** Older deployments drain as the primary's tasks come up, keeping minimumHealthyPercent of the desired count running. */
        private void drainOlder(Deployment primary, long t) {
            long keepOld = Math.max(0, (long) Math.ceil(desiredCount * minimumHealthyPercent / 100.0) - running(primary));
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
            n.put("serviceArn", arn());
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
            n.put("createdBy", "arn:aws:iam::" + accountId + ":role/jitsi-operator");
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
