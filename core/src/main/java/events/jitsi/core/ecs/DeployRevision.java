package events.jitsi.core.ecs;

import events.jitsi.core.InvalidInputException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.UpdateServiceResponse;

import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Points an ECS service at a task definition (the engine behind {@code ecsDeployRevision} and {@code events-jitsi
 * deploy}). Everything is checked before anything is written: the cluster, the service, the task definition and the
 * container names; deploying what already runs is a no-op unless forced.
 */
public final class DeployRevision {
    private final EcsClient ecs;
    private final Consumer<String> log;

    public DeployRevision(EcsClient ecs, Consumer<String> log) {
        this.ecs = ecs;
        this.log = log;
    }

    public DeployResult deploy(DeployRequest request) {
        validate(request);
        Service service = describeService(ecs, request.cluster(), request.service());
        String current = service.taskDefinition();
        String target;
        RegisterTaskDefinitionRequest registration = null;
        if (request.revision() != null) {
            target = TaskDefinitions.describe(ecs, TaskDefinitions.familyOf(current) + ":" + request.revision())
                    .taskDefinition().taskDefinitionArn();
        } else if (request.taskDefinition() != null) {
            target = TaskDefinitions.describe(ecs, request.taskDefinition()).taskDefinition().taskDefinitionArn();
        } else if (!request.images().isEmpty()) {
            DescribeTaskDefinitionResponse described = TaskDefinitions.describe(ecs, current);
            registration = withImages(described, request.images());
            target = registration == null ? current : null;
        } else {
            target = current;
        }

        boolean sameDefinition = target != null && target.equals(current);
        boolean countChanges = request.desiredCount() != null && request.desiredCount() != service.desiredCount();
        if (sameDefinition && !request.forceNewDeployment() && !countChanges) {
            log.accept("Service " + request.service() + " in " + request.cluster() + " already runs "
                    + TaskDefinitions.shortName(current) + "; nothing to deploy (force a new deployment to restart its tasks).");
            return new DeployResult(request.cluster(), request.service(), current, current, primaryId(service), false, false);
        }

        if (registration != null) {
            target = ecs.registerTaskDefinition(registration).taskDefinition().taskDefinitionArn();
            log.accept("Registered " + TaskDefinitions.shortName(target) + " (" + TaskDefinitions.shortName(current)
                    + " with " + describeImages(request.images()) + ").");
        }
        String newDefinition = target;
        UpdateServiceResponse updated;
        try {
            updated = ecs.updateService(u -> {
                u.cluster(request.cluster()).service(request.service());
                if (!newDefinition.equals(current)) {
                    u.taskDefinition(newDefinition);
                }
                if (request.forceNewDeployment()) {
                    u.forceNewDeployment(true);
                }
                if (request.desiredCount() != null) {
                    u.desiredCount(request.desiredCount());
                }
            });
        } catch (RuntimeException e) {
            if (registration != null) {
                // The revision exists only for this deploy; leaving it would look like a deployable release.
                ecs.deregisterTaskDefinition(d -> d.taskDefinition(newDefinition));
            }
            throw e;
        }
        Service after = updated.service();
        log.accept("Service " + request.service() + " in " + request.cluster() + ": " + TaskDefinitions.shortName(current)
                + " -> " + TaskDefinitions.shortName(newDefinition) + ", deployment " + primaryId(after)
                + (request.desiredCount() != null ? ", desired count " + request.desiredCount() : "") + ".");
        return new DeployResult(request.cluster(), request.service(), current, newDefinition, primaryId(after), true,
                registration != null);
    }

    private static void validate(DeployRequest r) {
        if (r.cluster() == null || r.cluster().isBlank()) {
            throw new InvalidInputException("No cluster given: name the ECS cluster (e.g. jitsi-staging-cluster).");
        }
        if (r.service() == null || r.service().isBlank()) {
            throw new InvalidInputException("No service given: name the ECS service (e.g. jitsi).");
        }
        int modes = (r.revision() != null ? 1 : 0) + (r.taskDefinition() != null ? 1 : 0) + (r.images().isEmpty() ? 0 : 1);
        if (modes > 1) {
            throw new InvalidInputException("Give only one of revision, task definition and images.");
        }
        if (r.revision() != null && r.revision() < 1) {
            throw new InvalidInputException("Revision must be 1 or greater, got " + r.revision() + ".");
        }
        if (r.taskDefinition() != null && !r.taskDefinition().matches("(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:task-definition/)?[A-Za-z0-9_-]{1,255}:\\d+")) {
            throw new InvalidInputException("Task definition '" + r.taskDefinition()
                    + "' is neither FAMILY:REVISION nor a task-definition ARN.");
        }
        r.images().forEach((container, image) -> {
            if (container == null || container.isBlank() || image == null || image.isBlank()) {
                throw new InvalidInputException("Images are given as CONTAINER=IMAGE with neither part empty.");
            }
        });
        if (r.desiredCount() != null && r.desiredCount() < 0) {
            throw new InvalidInputException("Desired count must be 0 or greater, got " + r.desiredCount() + ".");
        }
    }

    /** The current definition with new images, or null when every image is already the one asked for. */
    private static RegisterTaskDefinitionRequest withImages(DescribeTaskDefinitionResponse described, Map<String, String> images) {
        TaskDefinition td = described.taskDefinition();
        TreeSet<String> names = td.containerDefinitions().stream().map(ContainerDefinition::name).collect(Collectors.toCollection(TreeSet::new));
        for (String container : images.keySet()) {
            if (!names.contains(container)) {
                throw new InvalidInputException("Container '" + container + "' is not in " + TaskDefinitions.shortName(td.taskDefinitionArn())
                        + "; its containers are: " + String.join(", ", names) + ".");
            }
        }
        boolean changes = td.containerDefinitions().stream()
                .anyMatch(c -> images.containsKey(c.name()) && !images.get(c.name()).equals(c.image()));
        if (!changes) {
            return null;
        }
        return TaskDefinitions.registrationOf(td, described,
                c -> images.containsKey(c.name()) ? c.toBuilder().image(images.get(c.name())).build() : c);
    }

    private static String describeImages(Map<String, String> images) {
        return images.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    static String primaryId(Service service) {
        return service.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).map(Deployment::id)
                .findFirst().orElse(null);
    }

    /** The service, or bad input that says whether the cluster or the service is unknown. */
    static Service describeService(EcsClient ecs, String cluster, String service) {
        DescribeServicesResponse response;
        try {
            response = ecs.describeServices(d -> d.cluster(cluster).services(service));
        } catch (ClusterNotFoundException e) {
            throw new InvalidInputException("Cluster '" + cluster + "' does not exist in this region: check the cluster name and --region.", e);
        }
        if (response.services().isEmpty()) {
            throw new InvalidInputException("Service '" + service + "' does not exist in cluster " + cluster + ".");
        }
        Service s = response.services().get(0);
        if (!"ACTIVE".equals(s.status())) {
            throw new InvalidInputException("Service '" + service + "' in cluster " + cluster + " is " + s.status() + ", not ACTIVE.");
        }
        return s;
    }
}
