package events.jitsi.core.status;

import events.jitsi.core.ecs.DeploymentJudge;
import events.jitsi.core.aws.Batches;
import events.jitsi.core.config.Environments;
import events.jitsi.core.config.Environments.Environment;
import events.jitsi.core.config.Environments.ServiceConfig;
import events.jitsi.core.ecs.TaskDefinitions;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What runs where right now (the engine behind {@code events-jitsi status}): for each service of the environments
 * file, side by side per environment, the task-definition revision, each container's image, the deployment's state,
 * the age of the last deployment and the last service event, and which images differ between environments.
 * Read-only: one DescribeServices call per cluster (ten services a call) and one DescribeTaskDefinition per distinct
 * revision.
 */
public final class Status {

    private final Function<Environment, EcsClient> clients;
    private final Clock clock;

    public Status(Function<Environment, EcsClient> clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    /** One service in one environment. {@code error} is set (and the rest null) when ECS does not know it. */
    public record ServiceState(String environment, String service, String taskDefinition, Map<String, String> images,
                               String rolloutState, Integer running, Integer desired, Integer pending, int deployments,
                               Duration lastDeploymentAge, String lastEvent, String error) {
    }

    /** A service across environments: its state in each, and the containers whose image differs. */
    public record ServiceRow(String key, Map<String, ServiceState> environments, List<String> differences) {
    }

    public record Report(List<String> environments, List<ServiceRow> services) {
    }

    public Report run(Environments config, List<String> environmentNames) {
        List<Environment> environments = environmentNames == null || environmentNames.isEmpty()
                ? List.copyOf(config.environments().values())
                : environmentNames.stream().map(config::environment).toList();
        Map<String, Map<String, ServiceState>> byService = new LinkedHashMap<>();
        Map<String, Map<String, String>> imagesByDefinition = new HashMap<>();
        for (Environment env : environments) {
            EcsClient ecs = clients.apply(env);
            Map<String, Service> found = describe(ecs, env);
            for (ServiceConfig svc : env.services().values()) {
                Service s = found.get(svc.serviceName());
                byService.computeIfAbsent(svc.key(), k -> new LinkedHashMap<>()).put(env.name(), s == null
                        ? new ServiceState(env.name(), svc.serviceName(), null, Map.of(), null, null, null, null, 0, null, null,
                        "service " + svc.serviceName() + " does not exist in cluster " + env.cluster())
                        : state(env.name(), s, imagesByDefinition.computeIfAbsent(s.taskDefinition(), td -> images(ecs, td))));
            }
        }
        List<ServiceRow> rows = new ArrayList<>();
        byService.forEach((key, states) -> rows.add(new ServiceRow(key, states, differences(states))));
        return new Report(environments.stream().map(Environment::name).toList(), rows);
    }

    /** The environment's services, by name, in DescribeServices calls of up to ten. */
    private static Map<String, Service> describe(EcsClient ecs, Environment env) {
        List<String> names = env.services().values().stream().map(ServiceConfig::serviceName).distinct().toList();
        Map<String, Service> found = new HashMap<>();
        for (List<String> batch : Batches.of(names, Batches.DESCRIBE_SERVICES)) {
            ecs.describeServices(d -> d.cluster(env.cluster()).services(batch)).services().forEach(s -> found.put(s.serviceName(), s));
        }
        return found;
    }

    private static Map<String, String> images(EcsClient ecs, String taskDefinition) {
        Map<String, String> images = new LinkedHashMap<>();
        for (ContainerDefinition c : TaskDefinitions.describe(ecs, taskDefinition).taskDefinition().containerDefinitions()) {
            images.put(c.name(), c.image());
        }
        return images;
    }

    private ServiceState state(String environment, Service s, Map<String, String> images) {
        Deployment primary = DeploymentJudge.primary(s);
        // ECS lists events newest first.
        String event = s.events().isEmpty() ? null : s.events().get(0).message();
        return new ServiceState(environment, s.serviceName(), TaskDefinitions.shortName(s.taskDefinition()), images,
                primary == null ? null : primary.rolloutStateAsString(), primary == null ? null : primary.runningCount(),
                primary == null ? null : primary.desiredCount(), primary == null ? null : primary.pendingCount(),
                s.deployments().size(),
                primary == null || primary.createdAt() == null ? null : Duration.between(primary.createdAt(), clock.instant()),
                event, null);
    }

    /** The containers whose image is not the same in every environment that runs the service. */
    private static List<String> differences(Map<String, ServiceState> states) {
        Set<String> containers = new LinkedHashSet<>();
        states.values().forEach(s -> containers.addAll(s.images().keySet()));
        List<String> differ = new ArrayList<>();
        for (String container : containers) {
            Set<String> seen = new LinkedHashSet<>();
            states.values().stream().filter(s -> s.error() == null).forEach(s -> seen.add(Objects.toString(s.images().get(container))));
            if (seen.size() > 1) {
                differ.add(container);
            }
        }
        return differ;
    }
}
