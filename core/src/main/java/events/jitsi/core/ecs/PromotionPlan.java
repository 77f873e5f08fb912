package events.jitsi.core.ecs;

import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

import java.util.List;

/**
 * What a promotion would do: the target's current definition with the source's images (and allowed environment
 * variables), as a registration and as a diff. {@code registration} is null when nothing would change.
 */
public record PromotionPlan(PromotionRequest request, String sourceTaskDefinitionArn, String targetTaskDefinitionArn,
                            List<ImageChange> images, List<String> environmentChanges, String diff,
                            RegisterTaskDefinitionRequest registration) {
    public record ImageChange(String container, String from, String to) {
    }

    public boolean changesNothing() {
        return registration == null;
    }
}
