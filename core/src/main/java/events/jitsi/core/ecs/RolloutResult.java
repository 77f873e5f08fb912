package events.jitsi.core.ecs;

/**
 * A deploy followed by its wait and, when it failed, the rollback. {@code rollbackWait} is null when no rollback
 * was needed or asked for.
 */
public record RolloutResult(Outcome outcome, DeployResult deploy, WaitResult rollout, String rolledBackTo, WaitResult rollbackWait) {
    public enum Outcome {
        /** The new deployment completed. */
        SUCCEEDED,
        /** The service already ran it; nothing was deployed. */
        UNCHANGED,
        /** The deployment failed and no rollback was asked for (or there was nothing to roll back to). */
        FAILED,
        /** Someone else's deployment replaced this one while it rolled out; theirs is left alone, nothing rolled back. */
        SUPERSEDED,
        /** The deployment failed; the previous task definition runs again. */
        ROLLED_BACK,
        /** The deployment failed and so did the rollback: someone must look at the service now. */
        ROLLBACK_FAILED
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED || outcome == Outcome.UNCHANGED;
    }
}
