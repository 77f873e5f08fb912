package events.jitsi.core.ecs;

import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;

import java.util.Objects;

/**
 * Where one awaited deployment stands, from one DescribeServices answer: a pure function, so every shape ECS answers
 * with is tested in a table ({@code DeploymentJudgeTest}), and {@link WaitForStable} only schedules and asks.
 *
 * <p>The shapes: the deployment is PRIMARY and rolling out, or COMPLETED with its tasks running and nothing else
 * left; ECS failed it (rolloutState FAILED, or its circuit breaker rolled the service back: the failed deployment is
 * gone or no longer PRIMARY, and the events or the new PRIMARY's reason say so); another deployment replaced it that
 * ECS did not start (someone else's UpdateService); it is not on the service at all (never was, or gone without a
 * word: the caller looks further); or, on a service without a circuit breaker, so many of its tasks failed that ECS
 * would retry for ever.
 */
public final class DeploymentJudge {
    private DeploymentJudge() {
    }

    public enum Kind {
        /** The deployment is PRIMARY and still rolling out. */
        IN_PROGRESS,
        /** COMPLETED (or without rollout state) with running == desired and no other deployment left. */
        COMPLETED,
        /** ECS failed the deployment: its rollout state is FAILED, or its circuit breaker rolled the service back. */
        FAILED,
        /** Without a circuit breaker, as many of its tasks failed as the breaker would allow: ECS would retry for ever. */
        FAILING_WITHOUT_BREAKER,
        /** A deployment ECS did not start replaced it: someone else deployed. */
        SUPERSEDED,
        /** The deployment is not on the service and nothing on it says what became of it. */
        NOT_LISTED,
        /** The service is not ACTIVE. */
        SERVICE_INACTIVE
    }

    /**
     * @param target  the awaited deployment as listed (null when it is not)
     * @param primary the service's PRIMARY deployment (null when there is none)
     */
    public record Verdict(Kind kind, String reason, Deployment target, Deployment primary) {
    }

    /** The service's PRIMARY deployment, or null. */
    public static Deployment primary(Service service) {
        return service.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst().orElse(null);
    }

    /** The circuit breaker's threshold: half the desired count, at least 3 (and at most 200), as ECS counts it. */
    static int breakerThreshold(Integer desiredCount) {
        return Math.min(200, Math.max(3, (int) Math.ceil((desiredCount == null ? 1 : desiredCount) * 0.5)));
    }

    public static Verdict judge(Service s, String awaitedId) {
        Deployment primary = primary(s);
        if (!"ACTIVE".equals(s.status())) {
            return new Verdict(Kind.SERVICE_INACTIVE, "service is " + s.status(), null, primary);
        }
        Deployment target = awaitedId == null ? null
                : s.deployments().stream().filter(d -> awaitedId.equals(d.id())).findFirst().orElse(null);
        String current = primary == null ? "no PRIMARY deployment"
                : "deployment " + primary.id() + " (" + TaskDefinitions.shortName(primary.taskDefinition()) + ")";
        if (target == null || primary == null || !target.id().equals(primary.id())) {
            if (target != null && "FAILED".equals(target.rolloutStateAsString())) {
                return new Verdict(Kind.FAILED, target.rolloutStateReason() + " ECS rolled the service back: it now runs " + current + ".",
                        target, primary);
            }
            String failedEvent = awaitedId == null ? null : s.events().stream().map(ServiceEvent::message)
                    .filter(m -> m != null && m.contains(awaitedId) && m.contains("failed")).findFirst().orElse(null);
            if (failedEvent != null) {
                // A failed deployment without tasks leaves the service at once; its events still say why.
                return new Verdict(Kind.FAILED, failedEvent + " ECS deployment circuit breaker rolled the service back: it now runs "
                        + current + ".", target, primary);
            }
            if (primary != null && primary.rolloutStateReason() != null && primary.rolloutStateReason().contains("circuit breaker: rolling back")) {
                return new Verdict(Kind.FAILED, "ECS deployment circuit breaker failed deployment " + awaitedId + " and rolled the service "
                        + "back: it now runs " + current + ".", target, primary);
            }
            if (target != null || mentioned(s, awaitedId)) {
                return new Verdict(Kind.SUPERSEDED, supersededBy(primary), target, primary);
            }
            return new Verdict(Kind.NOT_LISTED, "deployment " + awaitedId + " is not on the service; it runs " + current, null, primary);
        }
        String rollout = target.rolloutStateAsString();
        if ("FAILED".equals(rollout)) {
            return new Verdict(Kind.FAILED, target.rolloutStateReason(), target, primary);
        }
        boolean settled = s.deployments().size() == 1 && Objects.equals(target.runningCount(), target.desiredCount());
        if (settled && (rollout == null || "COMPLETED".equals(rollout))) {
            return new Verdict(Kind.COMPLETED, null, target, primary);
        }
        boolean breaker = s.deploymentConfiguration() != null && s.deploymentConfiguration().deploymentCircuitBreaker() != null
                && Boolean.TRUE.equals(s.deploymentConfiguration().deploymentCircuitBreaker().enable());
        int failed = target.failedTasks() == null ? 0 : target.failedTasks();
        if (!breaker && failed >= breakerThreshold(target.desiredCount())) {
            return new Verdict(Kind.FAILING_WITHOUT_BREAKER, failed + " tasks of the deployment failed to start and the service has no "
                    + "deployment circuit breaker, so ECS would keep retrying", target, primary);
        }
        return new Verdict(Kind.IN_PROGRESS, null, target, primary);
    }

    /** "superseded by deployment ecs-svc/... (task definition jitsi-meet-task:4), started by someone else". */
    public static String supersededBy(Deployment primary) {
        return primary == null ? "superseded: the service has no PRIMARY deployment any more"
                : "superseded by deployment " + primary.id() + " (task definition " + TaskDefinitions.shortName(primary.taskDefinition())
                + "), started by someone else";
    }

    /** Whether any event of the service names the deployment: then it was on the service once. */
    private static boolean mentioned(Service s, String deploymentId) {
        return deploymentId != null && s.events().stream().anyMatch(e -> e.message() != null && e.message().contains(deploymentId));
    }
}
