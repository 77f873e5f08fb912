package events.jitsi.core.ecs;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;
import events.jitsi.core.OptionNames;
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

import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private final DeployListener listener;

    public DeployRevision(EcsClient ecs, Consumer<String> log) {
        this(ecs, log, DeployListener.NONE);
    }

    public DeployRevision(EcsClient ecs, Consumer<String> log, DeployListener listener) {
        this.ecs = ecs;
        this.log = log;
        this.listener = listener;
    }

    /** What a deploy would do, worked out with reads only. */
    private record Plan(Service service, String current, String target, RegisterTaskDefinitionRequest registration,
                        DescribeTaskDefinitionResponse currentDescribed, DescribeTaskDefinitionResponse targetDescribed) {
        boolean changesDefinition() {
            return registration != null || !target.equals(current);
        }
    }

    private Plan plan(DeployRequest request) {
        validate(request);
        Service service = describeService(ecs, request.cluster(), request.service());
        String current = service.taskDefinition();
        // With new images the current definition is copied into a new revision: say what the copy cannot carry.
        DescribeTaskDefinitionResponse currentDescribed = request.images().isEmpty() ? TaskDefinitions.describe(ecs, current)
                : TaskDefinitions.describeForCopy(ecs, current, log);
        DescribeTaskDefinitionResponse targetDescribed = currentDescribed;
        RegisterTaskDefinitionRequest registration = null;
        if (request.revision() != null) {
            targetDescribed = TaskDefinitions.describe(ecs, TaskDefinitions.familyOf(current) + ":" + request.revision());
        } else if (request.taskDefinition() != null) {
            targetDescribed = TaskDefinitions.describe(ecs, request.taskDefinition());
        } else if (!request.images().isEmpty()) {
            registration = withImages(currentDescribed, request.images());
        }
        TaskDefinition target = targetDescribed.taskDefinition();
        if (registration == null && !"ACTIVE".equals(target.statusAsString())) {
            List<String> newest = TaskDefinitions.newestRevisions(ecs, target.family(), 5);
            throw new InvalidInputException(TaskDefinitions.shortName(target.taskDefinitionArn()) + " is " + target.statusAsString()
                    + " (deregistered): deploy an ACTIVE revision" + (newest.isEmpty() ? "." : "; the newest are " + String.join(", ", newest) + "."));
        }
        String family = TaskDefinitions.familyOf(current);
        if (!target.family().equals(family) && !request.allowFamilyChange()) {
            throw new InvalidInputException("Service " + request.service() + " in " + request.cluster() + " runs task-definition family "
                    + family + ", not " + target.family() + ": each family holds its environment's own EFS, secrets and roles. "
                    + "Give a revision of " + family + ", or allow the family change on purpose (" + OptionNames.both("allowFamilyChange", "true") + ").");
        }
        Deployment inProgress = deploymentInProgress(service);
        if (inProgress != null && !request.replaceDeploymentInProgress()) {
            throw new InvalidInputException("Service " + request.service() + " in " + request.cluster() + " is still rolling out deployment "
                    + inProgress.id() + " (" + TaskDefinitions.shortName(inProgress.taskDefinition()) + "): wait for it, "
                    + "or replace it on purpose (" + OptionNames.both("force", "true") + ").");
        }
        return new Plan(service, current, registration == null ? target.taskDefinitionArn() : null, registration,
                currentDescribed, targetDescribed);
    }

    /** A deployment that has not finished: the PRIMARY one still IN_PROGRESS, or older ones still draining. */
    static Deployment deploymentInProgress(Service service) {
        Deployment primary = DeploymentJudge.primary(service);
        if (primary == null) {
            return null;
        }
        boolean rolling = "IN_PROGRESS".equals(primary.rolloutStateAsString()) || service.deployments().size() > 1;
        return rolling ? primary : null;
    }

    /**
     * What the deploy would change, written nothing: the task definition that would run, as a unified diff of
     * normalised JSON against the one that runs (empty when the definition stays), and the other changes in words.
     */
    public String dryRun(DeployRequest request) {
        Plan plan = plan(request);
        String currentName = TaskDefinitions.shortName(plan.current());
        RegisterTaskDefinitionRequest before = TaskDefinitions.registrationOf(plan.currentDescribed().taskDefinition(),
                plan.currentDescribed(), c -> c);
        RegisterTaskDefinitionRequest after = plan.registration() != null ? plan.registration()
                : TaskDefinitions.registrationOf(plan.targetDescribed().taskDefinition(), plan.targetDescribed(), c -> c);
        String afterName = plan.registration() != null ? "a new revision of " + TaskDefinitions.familyOf(plan.current())
                : TaskDefinitions.shortName(plan.target());
        StringBuilder sb = new StringBuilder();
        if (plan.changesDefinition()) {
            sb.append("Would point ").append(request.service()).append(" in ").append(request.cluster()).append(" from ")
                    .append(currentName).append(" to ").append(afterName).append(plan.registration() != null ? " (registered for it)" : "")
                    .append(".\n").append(TaskDefinitionDiff.unified(currentName, before, afterName, after));
        } else {
            sb.append("The task definition stays ").append(currentName).append(".\n");
        }
        if (request.desiredCount() != null && !Objects.equals(request.desiredCount(), plan.service().desiredCount())) {
            sb.append("Would change the desired count from ").append(plan.service().desiredCount()).append(" to ").append(request.desiredCount()).append(".\n");
        }
        if (request.forceNewDeployment()) {
            sb.append("Would start a new deployment (new tasks).\n");
        }
        return sb.toString();
    }

    public DeployResult deploy(DeployRequest request) {
        Plan plan = plan(request);
        Service service = plan.service();
        String current = plan.current();
        String target = plan.target();
        RegisterTaskDefinitionRequest registration = plan.registration();
        boolean countChanges = request.desiredCount() != null && !Objects.equals(request.desiredCount(), service.desiredCount());
        if (!plan.changesDefinition() && !request.forceNewDeployment() && !countChanges) {
            log.accept("Service " + request.service() + " in " + request.cluster() + " already runs "
                    + TaskDefinitions.shortName(current) + "; nothing to deploy (force a new deployment to restart its tasks).");
            return new DeployResult(request.cluster(), request.service(), current, current, primaryId(service), false, false);
        }

        if (registration != null) {
            target = ecs.registerTaskDefinition(registration).taskDefinition().taskDefinitionArn();
            listener.registered(target);
            log.accept("Registered " + TaskDefinitions.shortName(target) + " (" + TaskDefinitions.shortName(current)
                    + " with " + describeImages(request.images()) + ").");
        }
        String newDefinition = target;
        UpdateServiceResponse updated;
        try {
            listener.beforeUpdate();
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
            listener.updateFailed();
            if (registration != null) {
                // The revision exists only for this deploy; leaving it would look like a deployable release.
                deregisterAfterFailure(ecs, newDefinition, e);
            }
            throw e;
        }
        listener.updated(primaryId(updated.service()));
        Service after = updated.service();
        Deployment awaited = DeploymentJudge.primary(after);
        if (awaited == null || !newDefinition.equals(awaited.taskDefinition())) {
            // ECS answered, but its PRIMARY deployment is not the one just asked for: waiting on it would report another rollout.
            throw new OperationFailedException("ECS accepted the update of " + request.service() + " in " + request.cluster()
                    + ", but its PRIMARY deployment " + (awaited == null ? "is missing" : awaited.id() + " runs "
                    + TaskDefinitions.shortName(awaited.taskDefinition())) + ", not " + TaskDefinitions.shortName(newDefinition)
                    + "; look at the service before deploying again.");
        }
        log.accept("Service " + request.service() + " in " + request.cluster() + ": " + TaskDefinitions.shortName(current)
                + " -> " + TaskDefinitions.shortName(newDefinition) + ", deployment " + primaryId(after)
                + (request.desiredCount() != null ? ", desired count " + request.desiredCount() : "") + ".");
        return new DeployResult(request.cluster(), request.service(), current, newDefinition, primaryId(after), true,
                registration != null);
    }

    /** Deregisters a revision registered for a write that failed; a failure here is added to {@code cause}, never hides it. */
    static void deregisterAfterFailure(EcsClient ecs, String taskDefinition, RuntimeException cause) {
        try {
            ecs.deregisterTaskDefinition(d -> d.taskDefinition(taskDefinition));
        } catch (RuntimeException cleanup) {
            cause.addSuppressed(cleanup);
        }
    }

    private static void validate(DeployRequest r) {
        if (r.cluster() == null || r.cluster().isBlank()) {
            throw new InvalidInputException("No cluster given: name the ECS cluster (e.g. jitsi-staging-cluster).");
        }
        if (r.service() == null || r.service().isBlank()) {
            throw new InvalidInputException("No service given: name the ECS service (e.g. jitsi).");
        }
        if (r.asksForNothing()) {
            throw new InvalidInputException("Nothing to deploy: give a revision, a task definition or images, or force a new "
                    + "deployment, or a desired count.");
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
            String problem = ImageReference.problem(image);
            if (problem != null) {
                throw new InvalidInputException("Image '" + image + "' of container " + container + " is not an image reference: " + problem + ".");
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
        Deployment primary = DeploymentJudge.primary(service);
        return primary == null ? null : primary.id();
    }

    /** The service, or bad input that says whether the cluster or the service is unknown. */
    public static Service describeService(EcsClient ecs, String cluster, String service) {
        DescribeServicesResponse response;
        try {
            response = ecs.describeServices(d -> d.cluster(cluster).services(service));
        } catch (ClusterNotFoundException e) {
            throw new InvalidInputException("Cluster '" + cluster + "' does not exist in this region: check the cluster name and the region ("
                    + OptionNames.both("region") + ").", e);
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
