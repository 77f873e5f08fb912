package events.jitsi.core.ecs;

import java.util.List;

/**
 * What a promotion of one service may carry over besides images: the environment variables copied from the source,
 * the containers left as the target has them. The environments file's {@code promotion} section holds one per service.
 */
public record PromotionRules(List<String> environmentVariables, List<String> ignoreContainers) {
    public static final PromotionRules NONE = new PromotionRules(List.of(), List.of());
}
