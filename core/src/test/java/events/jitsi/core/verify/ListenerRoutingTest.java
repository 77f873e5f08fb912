package events.jitsi.core.verify;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule evaluation on its own, for the shapes moto cannot store (regular expressions) and the wildcards. */
class ListenerRoutingTest {
    private static final Listener HTTPS = Listener.builder().protocol("HTTPS").port(443).build();

    private static Rule rule(String priority, String target, RuleCondition... conditions) {
        return Rule.builder().priority(priority).isDefault(false).conditions(conditions)
                .actions(Action.builder().type("forward").targetGroupArn(target).build()).build();
    }

    private static Rule defaultRule() {
        return Rule.builder().priority("default").isDefault(true)
                .actions(Action.builder().type("fixed-response").fixedResponseConfig(f -> f.statusCode("404")).build()).build();
    }

    @Test
    void wildcardsReadAsTheLoadBalancerReadsThem() {
        assertThat(ListenerRouting.wildcard("*.example.org", "Meet.Example.org", true)).isTrue();
        assertThat(ListenerRouting.wildcard("meet?.example.org", "meet2.example.org", true)).isTrue();
        assertThat(ListenerRouting.wildcard("meet?.example.org", "meet.example.org", true)).isFalse();
        assertThat(ListenerRouting.wildcard("/*", "/", false)).isTrue();
        assertThat(ListenerRouting.wildcard("/API/*", "/api/x", false)).as("paths keep their case").isFalse();
    }

    @Test
    void aRegularExpressionThatCouldDecideLeavesTheAnswerOpen() {
        Rule regex = rule("1", "arn:tg/other", RuleCondition.builder().field("host-header")
                .hostHeaderConfig(h -> h.regexValues("^meet[0-9]*\\.example\\.org$")).build());
        Rule plain = rule("2", "arn:tg/meet", RuleCondition.builder().field("host-header").values("meet.example.org").build());
        ListenerRouting.Decision d = ListenerRouting.decide(HTTPS, List.of(plain, regex, defaultRule()), "meet.example.org");
        assertThat(d.unknown()).contains("regular expression");
        assertThat(d.rule().priority()).isEqualTo("1");
    }

    @Test
    void theDefaultRuleDecidesLastAndItsActionIsNamed() {
        Rule other = rule("5", "arn:tg/element", RuleCondition.builder().field("host-header").values("element.example.org").build());
        ListenerRouting.Decision d = ListenerRouting.decide(HTTPS, List.of(defaultRule(), other), "meet.example.org");
        assertThat(d.forwardsTo()).isEmpty();
        assertThat(d.describe()).isEqualTo("listener HTTPS:443, the default rule");
        assertThat(ListenerRouting.lastAction(d.rule())).isEqualTo("fixed-response 404");
    }

    @Test
    void theLastActionDecidesAfterAnAuthentication() {
        Rule authenticated = Rule.builder().priority("3").isDefault(false)
                .conditions(RuleCondition.builder().field("host-header").values("meet.example.org").build())
                .actions(Action.builder().type("forward").targetGroupArn("arn:tg/meet").order(2).build(),
                        Action.builder().type("authenticate-oidc").order(1).build()).build();
        assertThat(ListenerRouting.decide(HTTPS, List.of(authenticated, defaultRule()), "meet.example.org").forwardsTo())
                .containsExactly("arn:tg/meet");
    }
}
