package events.jitsi.core.ecs;

/**
 * Promote the images the source service runs to the target service. The names label the diff (e.g. staging,
 * production). The expected task definitions, when given, make the promotion refuse to run if either service has
 * moved on since the plan that was approved.
 */
public record PromotionRequest(String sourceName, ServiceRef source, String targetName, ServiceRef target, PromotionRules rules,
                               String expectedSourceTaskDefinition, String expectedTargetTaskDefinition) {
    public PromotionRequest {
        rules = rules == null ? PromotionRules.NONE : rules;
    }

    public PromotionRequest(String sourceName, ServiceRef source, String targetName, ServiceRef target, PromotionRules rules) {
        this(sourceName, source, targetName, target, rules, null, null);
    }
}
