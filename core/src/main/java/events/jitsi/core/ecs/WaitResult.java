package events.jitsi.core.ecs;

import java.time.Duration;
import java.util.List;

/**
 * How a wait ended. For FAILED and TIMED_OUT, {@code reason} says why (the rollout state reason, what replaced the
 * deployment, or the last known state), with the newest stopped-task reasons and service events behind it.
 */
public record WaitResult(Outcome outcome, String cluster, String service, String deploymentId, String taskDefinitionArn,
                         String reason, List<String> stoppedReasons, List<String> lastEvents, Duration elapsed) {
    public WaitResult {
        stoppedReasons = List.copyOf(stoppedReasons);
        lastEvents = List.copyOf(lastEvents);
    }

    /**
     * UNREACHABLE: ECS could not be reached at all (refused connection, unknown host, TLS failure); nothing was judged.
     * SUPERSEDED: a deployment this wait did not start (and ECS did not start to roll back) replaced the awaited one:
     * someone else deployed, so nothing of theirs may be rolled back. NOT_FOUND: the service never had the deployment
     * (a wrong id), so nothing was waited for.
     */
    public enum Outcome { SUCCEEDED, FAILED, TIMED_OUT, UNREACHABLE, SUPERSEDED, NOT_FOUND }

    /** Whether a rollback may follow this result: only a deployment of ours that failed or did not finish. */
    public boolean allowsRollback() {
        return outcome == Outcome.FAILED || outcome == Outcome.TIMED_OUT;
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }

    /** A multi-line account of a failure for logs and exceptions. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("Service ").append(service).append(" in ").append(cluster).append(": ");
        sb.append(switch (outcome) {
            case SUCCEEDED -> "deployment " + deploymentId + " completed";
            case FAILED -> "deployment " + deploymentId + " failed";
            case TIMED_OUT -> "deployment " + deploymentId + " did not finish in " + WaitForStable.describe(elapsed);
            case UNREACHABLE -> "ECS could not be reached";
            case SUPERSEDED -> "deployment " + deploymentId + " no longer rolls out";
            case NOT_FOUND -> "nothing to wait for";
        });
        if (reason != null) {
            sb.append(": ").append(reason);
        }
        if (!stoppedReasons.isEmpty()) {
            sb.append("\n  stopped tasks: ").append(String.join("\n                 ", stoppedReasons));
        }
        if (!lastEvents.isEmpty()) {
            sb.append("\n  last events:   ").append(String.join("\n                 ", lastEvents));
        }
        return sb.toString();
    }
}
