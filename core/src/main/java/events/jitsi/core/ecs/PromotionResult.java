package events.jitsi.core.ecs;

import java.util.List;

/** How a promotion ended, with the revisions involved and the images promoted. */
public record PromotionResult(Outcome outcome, String sourceName, String targetName, ServiceRef target,
                              String sourceTaskDefinitionArn, String targetPreviousTaskDefinitionArn, String targetNewTaskDefinitionArn,
                              List<PromotionPlan.ImageChange> images, List<String> environmentChanges, String diff,
                              RolloutResult rollout) {
    public enum Outcome {
        /** The target runs the new revision. */
        PROMOTED,
        /** The target already runs the source's images: nothing registered. */
        UNCHANGED,
        /** Only planned; nothing was written. */
        DRY_RUN,
        /** The new revision failed and the target runs its previous revision again. */
        ROLLED_BACK,
        /** The new revision failed and no rollback was made. */
        FAILED,
        /** The new revision failed and so did the rollback. */
        ROLLBACK_FAILED,
        /** Someone else deployed to the target while the promotion rolled out: theirs is left alone. */
        SUPERSEDED
    }

    public boolean succeeded() {
        return outcome == Outcome.PROMOTED || outcome == Outcome.UNCHANGED || outcome == Outcome.DRY_RUN;
    }
}
