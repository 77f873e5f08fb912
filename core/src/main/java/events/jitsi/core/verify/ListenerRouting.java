package events.jitsi.core.verify;

import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where an Application Load Balancer listener sends a plain request for a host: {@code GET /}, no query string, no
 * header but Host, from an address nobody configured. The rules are evaluated as the load balancer does: by priority,
 * the default rule last; a rule applies when every one of its conditions holds (any of a condition's values); the
 * first that applies decides, by its last action. Pure: the rules in, the decision out.
 */
final class ListenerRouting {
    /** The request the routes of the environments file stand for. */
    static final String PATH = "/";
    static final String METHOD = "GET";

    /** How one rule's conditions meet the plain request. */
    enum Match { YES, NO, UNKNOWN }

    /**
     * The rule that decides for the host on one listener. {@code forwardsTo} are the target groups it forwards to
     * (weight above zero), empty for a redirect or a fixed response; {@code unknown} says why it cannot be told
     * (a regular-expression condition) and is null otherwise.
     */
    record Decision(Listener listener, Rule rule, Set<String> forwardsTo, String unknown) {
        /** e.g. "listener HTTPS:443, rule 10 (host-header meet.example.org; path-pattern /*)". */
        String describe() {
            return "listener " + listener.protocolAsString() + ":" + listener.port() + ", " + ListenerRouting.describe(rule);
        }
    }

    private ListenerRouting() {
    }

    /** The deciding rule of {@code rules} (one listener's) for {@code host}; null when no rule applies (a listener has a default rule, so only with a partial list). */
    static Decision decide(Listener listener, List<Rule> rules, String host) {
        List<Rule> ordered = new ArrayList<>(rules);
        ordered.sort(Comparator.comparingInt(ListenerRouting::priority));
        for (Rule rule : ordered) {
            Match m = matches(rule, host);
            if (m == Match.NO) {
                continue;
            }
            if (m == Match.UNKNOWN) {
                return new Decision(listener, rule, Set.of(), describe(rule) + " matches by a regular expression, which this check does not evaluate");
            }
            return new Decision(listener, rule, forwardTargets(rule), null);
        }
        return null;
    }

    static Match matches(Rule rule, String host) {
        boolean unknown = false;
        for (RuleCondition c : rule.conditions()) {
            Match m = matches(c, host);
            if (m == Match.NO) {
                return Match.NO;
            }
            unknown |= m == Match.UNKNOWN;
        }
        return unknown ? Match.UNKNOWN : Match.YES;
    }

    private static Match matches(RuleCondition c, String host) {
        if ("http-header".equals(c.field()) && (c.httpHeaderConfig() == null || !"host".equalsIgnoreCase(c.httpHeaderConfig().httpHeaderName()))) {
            return Match.NO; // the plain request has no header but Host
        }
        Match plain = plainValuesMatch(c, host);
        // A regular expression of the load balancer's own dialect is not evaluated here: it leaves the answer open.
        return plain == Match.NO && !regexValues(c).isEmpty() ? Match.UNKNOWN : plain;
    }

    private static List<String> regexValues(RuleCondition c) {
        List<String> regex = new ArrayList<>();
        if (c.hasRegexValues()) {
            regex.addAll(c.regexValues());
        }
        if (c.hostHeaderConfig() != null && c.hostHeaderConfig().hasRegexValues()) {
            regex.addAll(c.hostHeaderConfig().regexValues());
        }
        if (c.pathPatternConfig() != null && c.pathPatternConfig().hasRegexValues()) {
            regex.addAll(c.pathPatternConfig().regexValues());
        }
        if (c.httpHeaderConfig() != null && c.httpHeaderConfig().hasRegexValues()) {
            regex.addAll(c.httpHeaderConfig().regexValues());
        }
        return regex;
    }

    private static Match plainValuesMatch(RuleCondition c, String host) {
        String field = c.field() == null ? "" : c.field();
        return switch (field) {
            case "host-header" -> any(hostValues(c), v -> wildcard(v, host, true));
            case "path-pattern" -> any(pathValues(c), v -> wildcard(v, PATH, false));
            case "http-request-method" -> any(c.httpRequestMethodConfig() == null ? List.of() : c.httpRequestMethodConfig().values(),
                    v -> v.equalsIgnoreCase(METHOD));
            case "http-header" -> any(c.httpHeaderConfig().values(), v -> wildcard(v, host, true));
            // The plain request has no query string; a rule on one never applies to it.
            case "query-string" -> Match.NO;
            // A request from anywhere: only a rule open to every address applies to it.
            case "source-ip" -> any(c.sourceIpConfig() == null ? List.of() : c.sourceIpConfig().values(),
                    v -> v.equals("0.0.0.0/0") || v.equals("::/0"));
            default -> Match.UNKNOWN;
        };
    }

    private static Match any(List<String> values, java.util.function.Predicate<String> test) {
        return values.stream().anyMatch(test) ? Match.YES : Match.NO;
    }

    private static List<String> hostValues(RuleCondition c) {
        List<String> values = new ArrayList<>(c.values());
        if (c.hostHeaderConfig() != null) {
            values.addAll(c.hostHeaderConfig().values());
        }
        return values;
    }

    private static List<String> pathValues(RuleCondition c) {
        List<String> values = new ArrayList<>(c.values());
        if (c.pathPatternConfig() != null) {
            values.addAll(c.pathPatternConfig().values());
        }
        return values;
    }

    /** A value with * (any run) and ? (one character), as the load balancer reads it; hosts compare without case, paths with. */
    static boolean wildcard(String pattern, String value, boolean ignoreCase) {
        String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        StringBuilder regex = new StringBuilder();
        for (char ch : p.toCharArray()) {
            regex.append(switch (ch) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> java.util.regex.Pattern.quote(String.valueOf(ch));
            });
        }
        return v.matches(regex.toString());
    }

    /** The default rule has no number and comes last. */
    static int priority(Rule rule) {
        if (Boolean.TRUE.equals(rule.isDefault())) {
            return Integer.MAX_VALUE;
        }
        try {
            return Integer.parseInt(rule.priority());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** The target groups the rule's last action forwards to, those of weight zero left out. */
    static Set<String> forwardTargets(Rule rule) {
        List<Action> actions = new ArrayList<>(rule.actions());
        actions.sort(Comparator.comparingInt(a -> a.order() == null ? Integer.MAX_VALUE : a.order()));
        Set<String> arns = new LinkedHashSet<>();
        if (actions.isEmpty()) {
            return arns;
        }
        Action last = actions.get(actions.size() - 1);
        if (!"forward".equals(last.typeAsString())) {
            return arns;
        }
        if (last.forwardConfig() != null && last.forwardConfig().hasTargetGroups() && !last.forwardConfig().targetGroups().isEmpty()) {
            last.forwardConfig().targetGroups().stream().filter(t -> t.weight() == null || t.weight() > 0)
                    .forEach(t -> arns.add(t.targetGroupArn()));
        } else if (last.targetGroupArn() != null) {
            arns.add(last.targetGroupArn());
        }
        return arns;
    }

    /** What the rule's last action does, when it does not forward: "redirect", "fixed-response 404". */
    static String lastAction(Rule rule) {
        Action last = rule.actions().stream().max(Comparator.comparingInt(a -> a.order() == null ? Integer.MAX_VALUE : a.order())).orElse(null);
        if (last == null) {
            return "no action";
        }
        if (last.fixedResponseConfig() != null) {
            return "fixed-response " + last.fixedResponseConfig().statusCode();
        }
        if (last.redirectConfig() != null) {
            return "redirect (" + last.redirectConfig().statusCodeAsString() + ")";
        }
        return last.typeAsString();
    }

    /** "rule 10 (host-header meet.example.org; path-pattern /*)", "the default rule". */
    static String describe(Rule rule) {
        if (Boolean.TRUE.equals(rule.isDefault()) || "default".equals(rule.priority())) {
            return "the default rule";
        }
        List<String> conditions = new ArrayList<>();
        for (RuleCondition c : rule.conditions()) {
            List<String> values = new ArrayList<>();
            switch (String.valueOf(c.field())) {
                case "host-header" -> values.addAll(hostValues(c));
                case "path-pattern" -> values.addAll(pathValues(c));
                case "http-request-method" -> values.addAll(c.httpRequestMethodConfig() == null ? List.of() : c.httpRequestMethodConfig().values());
                case "http-header" -> {
                    if (c.httpHeaderConfig() != null) {
                        c.httpHeaderConfig().values().forEach(v -> values.add(c.httpHeaderConfig().httpHeaderName() + ": " + v));
                    }
                }
                case "query-string" -> {
                    if (c.queryStringConfig() != null) {
                        c.queryStringConfig().values().forEach(kv -> values.add((kv.key() == null ? "" : kv.key() + "=") + kv.value()));
                    }
                }
                case "source-ip" -> values.addAll(c.sourceIpConfig() == null ? List.of() : c.sourceIpConfig().values());
                default -> { }
            }
            regexValues(c).forEach(v -> values.add("regex " + v));
            conditions.add(c.field() + " " + String.join(", ", values));
        }
        return "rule " + rule.priority() + (conditions.isEmpty() ? "" : " (" + String.join("; ", conditions) + ")");
    }
}
