package events.jitsi.core.verify;

import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.config.Environments.Environment;
import events.jitsi.core.config.Installation;
import events.jitsi.core.config.Installation.Capacity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.autoscaling.model.StepAdjustment;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The capacity section: the cluster and its container instances, their instance types, the Auto Scaling group, its
 * CPU scaling (alarms connected to policies through the alarms' actions) and scale-in protection.
 */
final class CapacityChecks {
    private static final String CLUSTER = "cluster";
    private static final String GROUP = "autoScalingGroup";

    /** How long an alarm may lack data before it counts as blind: a day covers a quiet night of an idle cluster. */
    static final Duration BLIND_ALARM = Duration.ofDays(1);
    /** Processes whose suspension stops the group from scaling, replacing or balancing instances. */
    private static final Set<String> SCALING_PROCESSES = Set.of("Launch", "Terminate", "AlarmNotification", "HealthCheck",
            "ReplaceUnhealthy", "AZRebalance", "ScheduledActions", "AddToLoadBalancer", "InstanceRefresh");

    private final Environment env;
    private final Capacity capacity;
    private final AwsServices aws;
    private final Clock clock;
    private final List<Check> checks = new ArrayList<>();

    CapacityChecks(Environment env, AwsServices aws, Clock clock) {
        this.env = env;
        this.capacity = env.installation().capacity();
        this.aws = aws;
        this.clock = clock;
    }

    /** The checks; {@code protectedInstances} receives the ids of the group's protected instances, for the map. */
    List<Check> run(ClusterInstances cluster, Set<String> protectedInstances) {
        checkCluster(cluster);
        String name = capacity.autoScalingGroup();
        if (name == null) {
            skip(GROUP, "auto-scaling-group", "no autoScalingGroup in the capacity section");
            return checks;
        }
        if (Installation.isPlaceholder(name)) {
            skip(GROUP, "auto-scaling-group", "placeholder name " + name + ": put the real Auto Scaling group in the environments file");
            return checks;
        }
        List<AutoScalingGroup> groups = aws.autoScaling().describeAutoScalingGroups(d -> d.autoScalingGroupNames(name)).autoScalingGroups();
        if (groups.isEmpty()) {
            checks.add(Check.failed(env.name(), GROUP, "auto-scaling-group", "Auto Scaling group " + name + " does not exist in " + env.where()));
            return checks;
        }
        AutoScalingGroup group = groups.get(0);
        long inService = group.instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString())).count();
        String size = inService + " InService, min " + group.minSize() + ", max " + group.maxSize() + ", desired " + group.desiredCapacity();
        checks.add(inService >= group.minSize() && inService <= group.maxSize()
                ? Check.passed(env.name(), GROUP, "auto-scaling-group", name + ": " + size)
                : Check.failed(env.name(), GROUP, "auto-scaling-group", name + ": " + size + ": the InService count is outside min..max"));
        group.instances().stream().filter(i -> Boolean.TRUE.equals(i.protectedFromScaleIn())).forEach(i -> protectedInstances.add(i.instanceId()));
        checkProcesses(group);
        if (capacity.scaling() != null) {
            checkScaling(name);
        }
        if (capacity.scaleInProtection() != null) {
            checkProtection(group, cluster);
        }
        return checks;
    }

    private void checkCluster(ClusterInstances cluster) {
        String e = env.name();
        if (cluster.clusterStatus() == null) {
            checks.add(Check.failed(e, CLUSTER, "cluster-active", "cluster " + env.cluster() + " does not exist in " + env.where()));
            return;
        }
        if (!"ACTIVE".equals(cluster.clusterStatus())) {
            checks.add(Check.failed(e, CLUSTER, "cluster-active", "cluster " + env.cluster() + " is " + cluster.clusterStatus()));
            return;
        }
        checks.add(Check.passed(e, CLUSTER, "cluster-active", "cluster " + env.cluster() + " is ACTIVE"));
        List<String> bad = cluster.hosts().stream().filter(h -> !"ACTIVE".equals(h.status()) || !h.agentConnected())
                .map(h -> h.describe() + " is " + h.status() + (h.agentConnected() ? "" : " with its agent disconnected")).toList();
        if (cluster.hosts().isEmpty()) {
            checks.add(Check.failed(e, CLUSTER, "container-instances", "cluster " + env.cluster() + " has no container instances"));
        } else if (!bad.isEmpty()) {
            checks.add(Check.failed(e, CLUSTER, "container-instances", String.join("; ", bad)));
        } else {
            checks.add(Check.passed(e, CLUSTER, "container-instances", cluster.hosts().size() + " container instance(s), all ACTIVE with the agent connected"));
        }
        if (capacity.instanceTypes().isEmpty()) {
            skip(CLUSTER, "instance-types", "no instanceTypes in the capacity section");
            return;
        }
        List<String> wrong = cluster.hosts().stream().filter(h -> !capacity.instanceTypes().contains(h.type()))
                .map(ClusterInstances.Host::describe).toList();
        String expected = String.join(" or ", capacity.instanceTypes());
        checks.add(wrong.isEmpty()
                ? Check.passed(e, CLUSTER, "instance-types", "every instance is " + expected)
                : Check.failed(e, CLUSTER, "instance-types", String.join("; ", wrong) + ": expected " + expected));
    }

    /** Suspended processes: a group that may not launch, terminate or act on alarms does not scale, whatever its policies say. */
    private void checkProcesses(AutoScalingGroup group) {
        List<String> suspended = group.suspendedProcesses().stream()
                .map(p -> p.processName() + (p.suspensionReason() == null || p.suspensionReason().isBlank() ? "" : " (" + p.suspensionReason() + ")"))
                .toList();
        boolean harmful = group.suspendedProcesses().stream().anyMatch(p -> SCALING_PROCESSES.contains(p.processName()));
        if (suspended.isEmpty()) {
            checks.add(Check.passed(env.name(), GROUP, "scaling-processes", "no process of " + group.autoScalingGroupName() + " is suspended"));
        } else if (harmful) {
            checks.add(Check.failed(env.name(), GROUP, "scaling-processes", "suspended processes of " + group.autoScalingGroupName() + ": "
                    + String.join("; ", suspended) + "; resume them (aws autoscaling resume-processes) unless that is on purpose"));
        } else {
            checks.add(Check.passed(env.name(), GROUP, "scaling-processes", "suspended, not affecting scaling: " + String.join("; ", suspended)));
        }
    }

    private void checkScaling(String group) {
        List<ScalingPolicy> policies = new ArrayList<>();
        aws.autoScaling().describePoliciesPaginator(d -> d.autoScalingGroupName(group)).scalingPolicies().forEach(policies::add);
        Installation.Scaling expected = capacity.scaling();
        if (expected.none()) {
            checks.add(policies.isEmpty()
                    ? Check.passed(env.name(), GROUP, "no-scaling", group + " has no scaling policy, as expected (scaling: none)")
                    : Check.failed(env.name(), GROUP, "no-scaling", group + " has scaling policies, expected none: "
                    + policies.stream().map(CapacityChecks::describe).collect(Collectors.joining("; "))));
            return;
        }
        // One call: every alarm on the group's CPU metric. The policies are connected to them through the alarms' actions.
        List<MetricAlarm> alarms = aws.cloudWatch().describeAlarmsForMetric(d -> d.namespace("AWS/EC2").metricName("CPUUtilization")
                .dimensions(Dimension.builder().name("AutoScalingGroupName").value(group).build())).metricAlarms();
        Map<String, ScalingPolicy> byArn = new LinkedHashMap<>();
        policies.forEach(p -> byArn.put(p.policyARN(), p));
        String trackers = policies.stream().filter(p -> "TargetTrackingScaling".equals(p.policyType())).map(CapacityChecks::describe)
                .collect(Collectors.joining("; "));
        checkDirection(group, alarms, byArn, trackers, true, expected.scaleOutAtCpu());
        checkDirection(group, alarms, byArn, trackers, false, expected.scaleInAtCpu());
    }

    private void checkDirection(String group, List<MetricAlarm> alarms, Map<String, ScalingPolicy> policies, String trackers, boolean out, int threshold) {
        String name = out ? "scale-out" : "scale-in";
        String wanted = (out ? "CPU >= " : "CPU <= ") + threshold + "%";
        List<String> seen = new ArrayList<>();
        for (MetricAlarm alarm : alarms) {
            for (String action : alarm.alarmActions()) {
                ScalingPolicy policy = policies.get(action);
                if (policy == null || adjustmentSign(policy) != (out ? 1 : -1)) {
                    continue;
                }
                String problem = alarmProblem(alarm, out, threshold);
                if (problem == null && Boolean.FALSE.equals(policy.enabled())) {
                    problem = "fires policy " + policy.policyName() + ", which is disabled (Enabled: false)";
                }
                if (problem == null) {
                    problem = blind(alarm);
                }
                if (problem == null) {
                    checks.add(Check.passed(env.name(), GROUP, name, name + " alarm " + alarm.alarmName() + " (" + operator(alarm) + " "
                            + percent(alarm.threshold()) + ", Average of " + group + ") fires policy " + policy.policyName()));
                    return;
                }
                seen.add(name + " alarm " + alarm.alarmName() + " " + problem + " (policy " + policy.policyName() + ")");
            }
        }
        if (seen.isEmpty()) {
            seen.add("no CPUUtilization alarm of " + group + " fires a scaling policy that " + (out ? "adds" : "removes") + " instances");
        }
        if (!trackers.isEmpty()) {
            seen.add("the group scales by target tracking instead: " + trackers);
        }
        checks.add(Check.failed(env.name(), GROUP, name, String.join("; ", seen) + "; expected " + wanted));
    }

    /** Null unless the alarm has had no data for a day: it would not fire when the load comes. */
    private String blind(MetricAlarm alarm) {
        if (!"INSUFFICIENT_DATA".equals(alarm.stateValueAsString()) || alarm.stateUpdatedTimestamp() == null) {
            return null;
        }
        Duration since = Duration.between(alarm.stateUpdatedTimestamp(), clock.instant());
        return since.compareTo(BLIND_ALARM) < 0 ? null : "has been in INSUFFICIENT_DATA since " + alarm.stateUpdatedTimestamp()
                + " (" + since.toHours() + " h): it gets no CPU data and would not fire"
                + (alarm.stateReason() == null ? "" : " (" + alarm.stateReason() + ")");
    }

    /** Null when the alarm fires where expected, else what is different, e.g. "fires at 80%, expected 75%". */
    private static String alarmProblem(MetricAlarm alarm, boolean out, int threshold) {
        if (Boolean.FALSE.equals(alarm.actionsEnabled())) {
            return "has its actions disabled (ActionsEnabled: false), so it fires nothing";
        }
        String op = alarm.comparisonOperatorAsString();
        boolean direction = out ? op != null && op.startsWith("GreaterThan") : op != null && op.startsWith("LessThan");
        if (!direction) {
            return "fires when CPU is " + operator(alarm) + " " + percent(alarm.threshold()) + ", the wrong way";
        }
        if (alarm.statisticAsString() == null || !"Average".equals(alarm.statisticAsString())) {
            return "uses the " + (alarm.statisticAsString() == null ? alarm.extendedStatistic() : alarm.statisticAsString())
                    + " statistic, expected Average";
        }
        if (alarm.threshold() == null || alarm.threshold() != threshold) {
            return "fires at " + percent(alarm.threshold()) + ", expected " + threshold + "%";
        }
        return null;
    }

    private static String operator(MetricAlarm alarm) {
        return switch (String.valueOf(alarm.comparisonOperatorAsString())) {
            case "GreaterThanOrEqualToThreshold" -> ">=";
            case "GreaterThanThreshold" -> ">";
            case "LessThanOrEqualToThreshold" -> "<=";
            case "LessThanThreshold" -> "<";
            default -> alarm.comparisonOperatorAsString();
        };
    }

    private static String percent(Double value) {
        if (value == null) {
            return "no threshold";
        }
        return (value == Math.rint(value) ? String.valueOf(value.longValue()) : String.format(Locale.ROOT, "%.2f", value)) + "%";
    }

    /** +1 a policy that adds instances, -1 one that removes them, 0 neither or target tracking. */
    private static int adjustmentSign(ScalingPolicy p) {
        if (p.scalingAdjustment() != null) {
            return Integer.signum(p.scalingAdjustment());
        }
        List<StepAdjustment> steps = p.stepAdjustments();
        if (!steps.isEmpty() && steps.stream().allMatch(s -> s.scalingAdjustment() != null && s.scalingAdjustment() > 0)) {
            return 1;
        }
        if (!steps.isEmpty() && steps.stream().allMatch(s -> s.scalingAdjustment() != null && s.scalingAdjustment() < 0)) {
            return -1;
        }
        return 0;
    }

    private static String describe(ScalingPolicy p) {
        if ("TargetTrackingScaling".equals(p.policyType()) && p.targetTrackingConfiguration() != null) {
            var t = p.targetTrackingConfiguration();
            String metric = t.predefinedMetricSpecification() != null ? t.predefinedMetricSpecification().predefinedMetricTypeAsString() : "a custom metric";
            return "target-tracking policy " + p.policyName() + " (" + metric + " at " + percent(t.targetValue()) + ")";
        }
        String sign = adjustmentSign(p) > 0 ? "adds instances" : adjustmentSign(p) < 0 ? "removes instances" : "adjusts";
        return p.policyType() + " policy " + p.policyName() + " (" + sign + (Boolean.FALSE.equals(p.enabled()) ? ", disabled" : "") + ")";
    }

    private void checkProtection(AutoScalingGroup group, ClusterInstances cluster) {
        Installation.ScaleInProtection expected = capacity.scaleInProtection();
        Map<String, software.amazon.awssdk.services.autoscaling.model.Instance> members = new LinkedHashMap<>();
        group.instances().forEach(i -> members.put(i.instanceId(), i));
        long protectedInService = group.instances().stream()
                .filter(i -> "InService".equals(i.lifecycleStateAsString()) && Boolean.TRUE.equals(i.protectedFromScaleIn())).count();
        checks.add(protectedInService >= expected.atLeast()
                ? Check.passed(env.name(), GROUP, "scale-in-protection", protectedInService + " InService instance(s) protected from scale-in, at least "
                + expected.atLeast() + " expected")
                : Check.failed(env.name(), GROUP, "scale-in-protection", protectedInService + " InService instance(s) of " + group.autoScalingGroupName()
                + " protected from scale-in, expected at least " + expected.atLeast()));
        if (expected.instancesRunning().isEmpty()) {
            return;
        }
        Set<String> serviceNames = expected.instancesRunning().stream().map(k -> env.service(k).serviceName()).collect(Collectors.toSet());
        List<String> unprotected = new ArrayList<>();
        int hosts = 0;
        for (ClusterInstances.Host h : cluster.hosts()) {
            if (h.services().stream().noneMatch(serviceNames::contains)) {
                continue;
            }
            hosts++;
            var member = members.get(h.instanceId());
            if (member == null || !Boolean.TRUE.equals(member.protectedFromScaleIn())) {
                unprotected.add(h.instanceId() + " in " + h.zone() + (member == null ? " (not in " + group.autoScalingGroupName() + ")" : "")
                        + " runs " + String.join(", ", h.tasks()));
            }
        }
        String which = String.join(", ", expected.instancesRunning());
        if (hosts == 0) {
            checks.add(Check.failed(env.name(), GROUP, "protected-instances", "no instance of " + env.cluster() + " runs a task of " + which));
        } else if (!unprotected.isEmpty()) {
            checks.add(Check.failed(env.name(), GROUP, "protected-instances", "not protected from scale-in: " + String.join("; ", unprotected)));
        } else {
            checks.add(Check.passed(env.name(), GROUP, "protected-instances", "all " + hosts + " instance(s) running " + which + " are protected from scale-in"));
        }
    }

    private void skip(String subject, String name, String why) {
        checks.add(new Check(env.name(), subject, name, Check.Status.SKIPPED, why, 0));
    }
}
