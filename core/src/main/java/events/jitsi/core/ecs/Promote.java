package events.jitsi.core.ecs;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;
import events.jitsi.core.time.Scheduler;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Promotes what runs on one service (staging) to another (production): the target's own task definition with each
 * container's image taken from the source container of the same name, and nothing else unless the rules name it. So
 * production keeps its EFS file system, environment, secrets, roles, sizes, network, placement, logging and tags.
 * The engine behind {@code events-jitsi promote} and {@code ecsDeployRevision(imagesFrom: ...)}.
 */
public final class Promote {
    private final EcsClient source;
    private final EcsClient target;
    private final WaitForStable wait;
    private final Scheduler scheduler;
    private final Consumer<String> log;
    private final DeployListener listener;

    /** {@code source} and {@code target} are the clients of each side's region (the same client when they share one). */
    public Promote(EcsClient source, EcsClient target, WaitForStable wait, Scheduler scheduler, Consumer<String> log) {
        this(source, target, wait, scheduler, log, DeployListener.NONE);
    }

    /** As above, telling {@code listener} of the revision registered and the deployment started. */
    public Promote(EcsClient source, EcsClient target, WaitForStable wait, Scheduler scheduler, Consumer<String> log, DeployListener listener) {
        this.source = source;
        this.target = target;
        this.wait = wait;
        this.scheduler = scheduler;
        this.log = log;
        this.listener = listener;
    }

    public PromotionPlan plan(PromotionRequest request) {
        Service sourceService = DeployRevision.describeService(source, request.source().cluster(), request.source().service());
        Service targetService = DeployRevision.describeService(target, request.target().cluster(), request.target().service());
        expect(request.expectedSourceTaskDefinition(), sourceService.taskDefinition(), request.sourceName(), request.source());
        expect(request.expectedTargetTaskDefinition(), targetService.taskDefinition(), request.targetName(), request.target());
        TaskDefinition from = TaskDefinitions.describe(source, sourceService.taskDefinition()).taskDefinition();
        DescribeTaskDefinitionResponse toDescribed = TaskDefinitions.describeForCopy(target, targetService.taskDefinition(), log);
        TaskDefinition to = toDescribed.taskDefinition();

        Set<String> ignored = new HashSet<>(request.rules().ignoreContainers());
        Map<String, ContainerDefinition> fromContainers = byName(from);
        Set<String> fromNames = names(fromContainers.keySet(), ignored);
        Set<String> toNames = names(byName(to).keySet(), ignored);
        if (!fromNames.equals(toNames)) {
            throw new InvalidInputException("The task definitions do not have the same containers, so images cannot be matched: "
                    + TaskDefinitions.shortName(from.taskDefinitionArn()) + " (" + request.sourceName() + ") has " + String.join(", ", fromNames)
                    + "; " + TaskDefinitions.shortName(to.taskDefinitionArn()) + " (" + request.targetName() + ") has " + String.join(", ", toNames)
                    + ". Align them, or list the containers to leave alone under promotion." + request.target().service()
                    + ".ignoreContainers. Nothing was changed.");
        }

        List<PromotionPlan.ImageChange> images = new ArrayList<>();
        List<String> environmentChanges = new ArrayList<>();
        RegisterTaskDefinitionRequest rendered = TaskDefinitions.registrationOf(to, toDescribed, c -> {
            ContainerDefinition src = fromContainers.get(c.name());
            if (src == null || ignored.contains(c.name())) {
                return c;
            }
            ContainerDefinition.Builder b = c.toBuilder();
            if (!src.image().equals(c.image())) {
                images.add(new PromotionPlan.ImageChange(c.name(), c.image(), src.image()));
                b.image(src.image());
            }
            List<KeyValuePair> environment = carriedEnvironment(c, src, request.rules().environmentVariables(), environmentChanges);
            if (environment != null) {
                b.environment(environment);
            }
            return b.build();
        });
        RegisterTaskDefinitionRequest current = TaskDefinitions.registrationOf(to, toDescribed, UnaryOperator.identity());
        String diff = TaskDefinitionDiff.unified(request.targetName() + " " + TaskDefinitions.shortName(to.taskDefinitionArn()), current,
                request.targetName() + " with " + request.sourceName() + "'s images", rendered);
        return new PromotionPlan(request, from.taskDefinitionArn(), to.taskDefinitionArn(), List.copyOf(images),
                List.copyOf(environmentChanges), diff, diff.isEmpty() ? null : rendered);
    }

    /** Registers and deploys the plan, waits, and rolls the target back if the rollout fails. */
    public PromotionResult execute(PromotionPlan plan, Duration timeout) {
        return execute(plan, timeout, timeout);
    }

    /** As {@link #execute(PromotionPlan, Duration)}, the rollback with a timeout of its own. */
    public PromotionResult execute(PromotionPlan plan, Duration timeout, Duration rollbackTimeout) {
        if (plan.changesNothing()) {
            log.accept(plan.request().target() + " already runs " + plan.request().sourceName() + "'s images; nothing to promote.");
            return result(plan, PromotionResult.Outcome.UNCHANGED, plan.targetTaskDefinitionArn(), null);
        }
        DeployResult deployed = start(plan);
        RolloutResult rollout = new GuardedRollout(target, wait, scheduler, log).follow(deployed, timeout, true, rollbackTimeout);
        PromotionResult.Outcome outcome = switch (rollout.outcome()) {
            case SUCCEEDED, UNCHANGED -> PromotionResult.Outcome.PROMOTED;
            case ROLLED_BACK -> PromotionResult.Outcome.ROLLED_BACK;
            case FAILED -> PromotionResult.Outcome.FAILED;
            case SUPERSEDED -> PromotionResult.Outcome.SUPERSEDED;
            case ROLLBACK_FAILED -> PromotionResult.Outcome.ROLLBACK_FAILED;
        };
        return result(plan, outcome, deployed.taskDefinitionArn(), rollout);
    }

    /**
     * Registers the plan's revision and points the target at it, without waiting (for callers that wait their own way,
     * such as a Pipeline step that must not hold a thread). Refuses a plan that no longer describes what runs.
     */
    public DeployResult start(PromotionPlan plan) {
        PromotionRequest r = plan.request();
        if (plan.changesNothing()) {
            throw new IllegalStateException("a plan that changes nothing is not started");
        }
        // The plan may be hours old (an approval); it must still describe what runs.
        Service now = DeployRevision.describeService(target, r.target().cluster(), r.target().service());
        if (!now.taskDefinition().equals(plan.targetTaskDefinitionArn())) {
            throw new OperationFailedException(r.target() + " runs " + TaskDefinitions.shortName(now.taskDefinition())
                    + " now, not " + TaskDefinitions.shortName(plan.targetTaskDefinitionArn()) + " as planned; plan the promotion again.");
        }
        Deployment inProgress = DeployRevision.deploymentInProgress(now);
        if (inProgress != null) {
            throw new InvalidInputException(r.target() + " is still rolling out deployment " + inProgress.id() + " ("
                    + TaskDefinitions.shortName(inProgress.taskDefinition()) + "); promote once it has settled.");
        }
        String registered = target.registerTaskDefinition(plan.registration()).taskDefinition().taskDefinitionArn();
        listener.registered(registered);
        log.accept("Registered " + TaskDefinitions.shortName(registered) + ": " + TaskDefinitions.shortName(plan.targetTaskDefinitionArn())
                + " with " + r.sourceName() + "'s images (" + TaskDefinitions.shortName(plan.sourceTaskDefinitionArn()) + ").");
        try {
            DeployResult d = new DeployRevision(target, log, listener).deploy(DeployRequest.ofTaskDefinition(r.target().cluster(),
                    r.target().service(), registered));
            return new DeployResult(d.cluster(), d.service(), d.previousTaskDefinitionArn(), d.taskDefinitionArn(), d.deploymentId(), d.changed(), true);
        } catch (RuntimeException e) {
            // Never leave a registered revision that no service was pointed at.
            DeployRevision.deregisterAfterFailure(target, registered, e);
            throw e;
        }
    }

    public PromotionResult dryRun(PromotionPlan plan) {
        return result(plan, PromotionResult.Outcome.DRY_RUN, null, null);
    }

    private static PromotionResult result(PromotionPlan plan, PromotionResult.Outcome outcome, String newArn, RolloutResult rollout) {
        PromotionRequest r = plan.request();
        return new PromotionResult(outcome, r.sourceName(), r.targetName(), r.target(), plan.sourceTaskDefinitionArn(),
                plan.targetTaskDefinitionArn(), newArn, plan.images(), plan.environmentChanges(), plan.diff(), rollout);
    }

    private static void expect(String expected, String actual, String name, ServiceRef ref) {
        if (expected != null && !expected.isBlank()
                && !TaskDefinitions.shortName(expected).equals(TaskDefinitions.shortName(actual))) {
            throw new InvalidInputException(name + " (" + ref + ") runs " + TaskDefinitions.shortName(actual) + ", not "
                    + TaskDefinitions.shortName(expected) + " as in the approved plan; plan again. Nothing was changed.");
        }
    }

    /** The target container's environment with the allowed variables' values from the source; null if unchanged. */
    private static List<KeyValuePair> carriedEnvironment(ContainerDefinition target, ContainerDefinition source, List<String> allowed,
                                                         List<String> changes) {
        if (allowed.isEmpty()) {
            return null;
        }
        Map<String, String> sourceValues = source.environment().stream().collect(Collectors.toMap(KeyValuePair::name, KeyValuePair::value, (a, b) -> b));
        Map<String, String> result = new LinkedHashMap<>();
        target.environment().forEach(kv -> result.put(kv.name(), kv.value()));
        boolean changed = false;
        for (String name : allowed) {
            String value = sourceValues.get(name);
            if (value != null && !value.equals(result.get(name))) {
                result.put(name, value);
                changes.add(target.name() + ": " + name);
                changed = true;
            }
        }
        if (!changed) {
            return null;
        }
        return result.entrySet().stream().map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static Map<String, ContainerDefinition> byName(TaskDefinition td) {
        Map<String, ContainerDefinition> m = new LinkedHashMap<>();
        td.containerDefinitions().forEach(c -> m.put(c.name(), c));
        return m;
    }

    private static Set<String> names(Set<String> all, Set<String> ignored) {
        TreeSet<String> s = new TreeSet<>(all);
        s.removeAll(ignored);
        return s;
    }
}
