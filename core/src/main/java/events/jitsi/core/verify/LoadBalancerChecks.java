package events.jitsi.core.verify;

import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.config.Environments.Environment;
import events.jitsi.core.config.Installation;
import events.jitsi.core.config.Installation.Route;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The loadBalancer section: the Application Load Balancer is active; each route's host has a listener rule that
 * forwards to the named target group on the named port; every registered target of those groups is healthy, and each
 * has at least one healthy target.
 */
final class LoadBalancerChecks {
    private static final String SUBJECT = "loadBalancer";

    private final Environment env;
    private final Installation.LoadBalancer config;
    private final AwsServices aws;
    private final List<Check> checks = new ArrayList<>();

    LoadBalancerChecks(Environment env, AwsServices aws) {
        this.env = env;
        this.config = env.installation().loadBalancer();
        this.aws = aws;
    }

    /** The load balancer of the given name, or null when there is none. */
    static LoadBalancer find(ElasticLoadBalancingV2Client elb, String name) {
        try {
            List<LoadBalancer> found = elb.describeLoadBalancers(d -> d.names(name)).loadBalancers();
            return found.isEmpty() ? null : found.get(0);
        } catch (LoadBalancerNotFoundException e) {
            return null;
        }
    }

    /**
     * The checks of the load balancer {@code described} gives (null: there is none; asked only for a real name). For
     * the map of the installation, fills in which target groups each registered instance serves and which hosts each
     * target group.
     */
    List<Check> run(java.util.function.Supplier<LoadBalancer> described, Map<String, Set<String>> targetGroupsByInstance,
                    Map<String, Set<String>> hostsByTargetGroup) {
        String e = env.name();
        if (Installation.isPlaceholder(config.name())) {
            checks.add(new Check(e, SUBJECT, "load-balancer-active", Check.Status.SKIPPED,
                    "placeholder name " + config.name() + ": put the real load balancer in the environments file", 0));
            return checks;
        }
        ElasticLoadBalancingV2Client elb = aws.loadBalancing();
        LoadBalancer lb = described.get();
        if (lb == null) {
            checks.add(Check.failed(e, SUBJECT, "load-balancer-active", "load balancer " + config.name() + " does not exist in " + env.region()));
            return checks;
        }
        String state = lb.state() == null ? "in no state" : lb.state().codeAsString();
        checks.add("active".equals(state)
                ? Check.passed(e, SUBJECT, "load-balancer-active", config.name() + " (" + lb.dnsName() + ") is active")
                : Check.failed(e, SUBJECT, "load-balancer-active", config.name() + " is " + state
                + (lb.state() != null && lb.state().reason() != null ? ": " + lb.state().reason() : "")));

        Map<String, TargetGroup> groups = new LinkedHashMap<>();
        elb.describeTargetGroupsPaginator(d -> d.loadBalancerArn(lb.loadBalancerArn())).targetGroups().forEach(g -> groups.put(g.targetGroupArn(), g));
        // Per listener, its host-header rules in the order the load balancer evaluates them (priority).
        List<List<Rule>> listeners = new ArrayList<>();
        elb.describeListenersPaginator(d -> d.loadBalancerArn(lb.loadBalancerArn())).listeners().forEach(listener -> listeners.add(
                rules(elb, listener.listenerArn()).stream().filter(r -> !hosts(r).isEmpty())
                        .sorted(java.util.Comparator.comparingInt(LoadBalancerChecks::priority)).toList()));

        Set<String> checkedGroups = new LinkedHashSet<>();
        for (Route route : config.routes()) {
            String name = "route " + route.host();
            if (Installation.isPlaceholder(route.host()) || Installation.isPlaceholder(route.targetGroup())) {
                checks.add(new Check(e, SUBJECT, name, Check.Status.SKIPPED, "placeholder host or target group: put the real ones in the environments file", 0));
                continue;
            }
            Set<String> arns = forwardsOf(listeners, route.host());
            TargetGroup group = arns.stream().map(groups::get).filter(g -> g != null && g.targetGroupName().equals(route.targetGroup()))
                    .findFirst().orElse(null);
            if (arns.isEmpty()) {
                checks.add(Check.failed(e, SUBJECT, name, "no listener rule of " + config.name() + " forwards host " + route.host()
                        + " (expected to target group " + route.targetGroup() + ")"));
                continue;
            }
            if (group == null) {
                checks.add(Check.failed(e, SUBJECT, name, "host " + route.host() + " forwards to " + String.join(", ", names(arns, groups))
                        + ", expected target group " + route.targetGroup()));
                continue;
            }
            hostsByTargetGroup.computeIfAbsent(group.targetGroupName(), k -> new TreeSet<>()).add(route.host());
            checks.add(group.port() != null && group.port() == route.port()
                    ? Check.passed(e, SUBJECT, name, route.host() + " -> target group " + group.targetGroupName() + " on port " + group.port())
                    : Check.failed(e, SUBJECT, name, route.host() + " -> target group " + group.targetGroupName() + ", which listens on port "
                    + group.port() + ", expected " + route.port()));
            if (checkedGroups.add(group.targetGroupArn())) {
                checks.add(targetHealth(elb, group, targetGroupsByInstance));
            }
        }
        return checks;
    }

    /** One call per target group: every registered target healthy, at least one. */
    private Check targetHealth(ElasticLoadBalancingV2Client elb, TargetGroup group, Map<String, Set<String>> targetGroupsByInstance) {
        List<TargetHealthDescription> targets = elb.describeTargetHealth(d -> d.targetGroupArn(group.targetGroupArn())).targetHealthDescriptions();
        List<String> unhealthy = new ArrayList<>();
        int healthy = 0;
        for (TargetHealthDescription t : targets) {
            String id = t.target().id();
            targetGroupsByInstance.computeIfAbsent(id, k -> new TreeSet<>()).add(group.targetGroupName());
            String state = t.targetHealth() == null ? "unknown" : t.targetHealth().stateAsString();
            if ("healthy".equals(state)) {
                healthy++;
            } else {
                unhealthy.add("target " + id + " port " + t.target().port() + " is " + state
                        + (t.targetHealth() != null && t.targetHealth().reasonAsString() != null ? " (" + t.targetHealth().reasonAsString() + ")" : "")
                        + (t.targetHealth() != null && t.targetHealth().description() != null ? ": " + t.targetHealth().description() : ""));
            }
        }
        String name = "targets " + group.targetGroupName();
        if (targets.isEmpty()) {
            return Check.failed(env.name(), SUBJECT, name, "target group " + group.targetGroupName() + " has no registered targets: no healthy target serves it");
        }
        if (healthy == 0) {
            return Check.failed(env.name(), SUBJECT, name, "target group " + group.targetGroupName() + " has no healthy target: " + String.join("; ", unhealthy));
        }
        if (!unhealthy.isEmpty()) {
            return Check.failed(env.name(), SUBJECT, name, group.targetGroupName() + ": " + healthy + " healthy, " + String.join("; ", unhealthy));
        }
        return Check.passed(env.name(), SUBJECT, name, "all " + healthy + " target(s) of " + group.targetGroupName() + " are healthy");
    }

    /**
     * The target groups a request for {@code host} is forwarded to: on each listener, the first rule by priority whose
     * host-header values match it (exactly, or as a pattern with * and ?, as the load balancer matches them).
     */
    private static Set<String> forwardsOf(List<List<Rule>> listeners, String host) {
        Set<String> arns = new LinkedHashSet<>();
        for (List<Rule> rules : listeners) {
            rules.stream().filter(r -> hosts(r).stream().anyMatch(pattern -> hostMatches(pattern, host))).findFirst()
                    .ifPresent(r -> arns.addAll(forwardTargets(r)));
        }
        return arns;
    }

    static boolean hostMatches(String pattern, String host) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
            regex.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> java.util.regex.Pattern.quote(String.valueOf(c));
            });
        }
        return host.toLowerCase(Locale.ROOT).matches(regex.toString());
    }

    /** The default rule has no number and comes last. */
    private static int priority(Rule rule) {
        try {
            return Integer.parseInt(rule.priority());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Every rule of a listener: DescribeRules pages with a marker and the SDK has no paginator for it. */
    private static List<Rule> rules(ElasticLoadBalancingV2Client elb, String listenerArn) {
        List<Rule> rules = new ArrayList<>();
        String marker = null;
        do {
            String from = marker;
            var page = elb.describeRules(d -> d.listenerArn(listenerArn).marker(from));
            rules.addAll(page.rules());
            marker = page.nextMarker();
        } while (marker != null && !marker.isEmpty());
        return rules;
    }

    private static List<String> hosts(Rule rule) {
        List<String> hosts = new ArrayList<>();
        for (RuleCondition c : rule.conditions()) {
            if ("host-header".equals(c.field())) {
                hosts.addAll(c.values());
                if (c.hostHeaderConfig() != null) {
                    hosts.addAll(c.hostHeaderConfig().values());
                }
            }
        }
        return hosts;
    }

    private static Set<String> forwardTargets(Rule rule) {
        Set<String> arns = new LinkedHashSet<>();
        for (Action a : rule.actions()) {
            if (!"forward".equals(a.typeAsString())) {
                continue;
            }
            if (a.targetGroupArn() != null) {
                arns.add(a.targetGroupArn());
            }
            if (a.forwardConfig() != null) {
                a.forwardConfig().targetGroups().forEach(t -> arns.add(t.targetGroupArn()));
            }
        }
        return arns;
    }

    private static List<String> names(Set<String> arns, Map<String, TargetGroup> groups) {
        return arns.stream().map(a -> groups.containsKey(a) ? "target group " + groups.get(a).targetGroupName() : a).toList();
    }
}
