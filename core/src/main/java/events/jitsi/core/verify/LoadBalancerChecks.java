package events.jitsi.core.verify;

import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.config.Environments.Environment;
import events.jitsi.core.config.Installation;
import events.jitsi.core.config.Installation.Route;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
            checks.add(Check.failed(e, SUBJECT, "load-balancer-active", "load balancer " + config.name() + " does not exist in " + env.where()));
            return checks;
        }
        String state = lb.state() == null ? "in no state" : lb.state().codeAsString();
        checks.add("active".equals(state)
                ? Check.passed(e, SUBJECT, "load-balancer-active", config.name() + " (" + lb.dnsName() + ") is active")
                : Check.failed(e, SUBJECT, "load-balancer-active", config.name() + " is " + state
                + (lb.state() != null && lb.state().reason() != null ? ": " + lb.state().reason() : "")));

        Map<String, TargetGroup> groups = new LinkedHashMap<>();
        elb.describeTargetGroupsPaginator(d -> d.loadBalancerArn(lb.loadBalancerArn())).targetGroups().forEach(g -> groups.put(g.targetGroupArn(), g));
        // Every listener with all its rules, the default rule included: a host no rule names goes to the default action.
        Map<Listener, List<Rule>> listeners = new LinkedHashMap<>();
        elb.describeListenersPaginator(d -> d.loadBalancerArn(lb.loadBalancerArn())).listeners()
                .forEach(listener -> listeners.put(listener, rules(elb, listener.listenerArn())));

        Set<String> checkedGroups = new LinkedHashSet<>();
        for (Route route : config.routes()) {
            String name = "route " + route.host();
            if (Installation.isPlaceholder(route.host()) || Installation.isPlaceholder(route.targetGroup())) {
                checks.add(new Check(e, SUBJECT, name, Check.Status.SKIPPED, "placeholder host or target group: put the real ones in the environments file", 0));
                continue;
            }
            List<ListenerRouting.Decision> decisions = new ArrayList<>();
            listeners.forEach((listener, rules) -> {
                ListenerRouting.Decision d = ListenerRouting.decide(listener, rules, route.host());
                if (d != null) {
                    decisions.add(d);
                }
            });
            // The route works when one listener's deciding rule forwards the host to the group (an HTTP listener may redirect to HTTPS).
            ListenerRouting.Decision good = decisions.stream().filter(d -> d.forwardsTo().stream().map(groups::get)
                    .anyMatch(g -> g != null && g.targetGroupName().equals(route.targetGroup()))).findFirst().orElse(null);
            String request = ListenerRouting.METHOD + " " + ListenerRouting.PATH + " for " + route.host();
            if (good == null) {
                ListenerRouting.Decision unknown = decisions.stream().filter(d -> d.unknown() != null).findFirst().orElse(null);
                if (unknown != null) {
                    checks.add(new Check(e, SUBJECT, name, Check.Status.SKIPPED, "cannot tell where " + request + " goes: on "
                            + unknown.describe().replaceFirst(", rule.*", "") + ", " + unknown.unknown(), 0));
                    continue;
                }
                List<String> elsewhere = new ArrayList<>();
                for (ListenerRouting.Decision d : decisions) {
                    elsewhere.add(d.forwardsTo().isEmpty()
                            ? d.describe() + " answers with " + ListenerRouting.lastAction(d.rule())
                            : d.describe() + " forwards to " + String.join(", ", names(d.forwardsTo(), groups)));
                }
                boolean forwardsAnywhere = decisions.stream().anyMatch(d -> !d.forwardsTo().isEmpty());
                checks.add(Check.failed(e, SUBJECT, name, (forwardsAnywhere ? request + " is not forwarded to target group " + route.targetGroup()
                        : "no listener rule of " + config.name() + " forwards " + request + " (expected to target group " + route.targetGroup() + ")")
                        + (elsewhere.isEmpty() ? ": " + config.name() + " has no listener" : ": " + String.join("; ", elsewhere))));
                continue;
            }
            TargetGroup group = good.forwardsTo().stream().map(groups::get).filter(g -> g != null && g.targetGroupName().equals(route.targetGroup()))
                    .findFirst().orElseThrow();
            hostsByTargetGroup.computeIfAbsent(group.targetGroupName(), k -> new TreeSet<>()).add(route.host());
            String decided = " (" + good.describe() + ")";
            checks.add(group.port() != null && group.port() == route.port()
                    ? Check.passed(e, SUBJECT, name, route.host() + " -> target group " + group.targetGroupName() + " on port " + group.port() + decided)
                    : Check.failed(e, SUBJECT, name, route.host() + " -> target group " + group.targetGroupName() + ", which listens on port "
                    + group.port() + ", expected " + route.port() + decided));
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

    private static List<String> names(Set<String> arns, Map<String, TargetGroup> groups) {
        return arns.stream().map(a -> groups.containsKey(a) ? "target group " + groups.get(a).targetGroupName() : a).toList();
    }
}
