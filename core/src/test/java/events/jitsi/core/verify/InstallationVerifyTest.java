package events.jitsi.core.verify;

import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.config.Environments;
import events.jitsi.testbed.CloudWatchOverJson;
import events.jitsi.testbed.SeedInstallation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import events.jitsi.core.SeededMoto;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The installation checks against moto, seeded with the seed installation, each failure made on purpose. */
class InstallationVerifyTest {
    private static final Set<Verify.Section> INSTALLATION = EnumSet.of(Verify.Section.CAPACITY, Verify.Section.STORAGE,
            Verify.Section.LOAD_BALANCER, Verify.Section.DNS);
    @RegisterExtension
    static final SeededMoto MOTO = new SeededMoto();

    private SeedInstallation seed;
    private AwsServices aws;
    private Environments config;

    @BeforeEach
    void seed() throws Exception {
        seed = MOTO.seed();
        aws = MOTO.clients("AKIDVERIFY", new CloudWatchOverJson());
        config = Environments.parse("seeded.yaml", seed.environmentsYaml());
    }

    @AfterEach
    void close() {
        aws.close();
    }

    private VerificationReport verify() {
        return new Verify(env -> aws, null, null).run(config, List.of(), INSTALLATION);
    }

    private static Check check(VerificationReport r, String environment, String name) {
        return r.checks().stream().filter(c -> c.environment().equals(environment) && c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + environment + " " + name + " in\n" + r.summary()));
    }

    private static List<String> failed(VerificationReport r) {
        return r.failures().stream().map(c -> c.environment() + " " + c.name() + ": " + c.message()).toList();
    }

    @Test
    void everyCheckPassesOnTheSeedInstallation() {
        VerificationReport r = verify();
        assertThat(failed(r)).as(r.summary()).isEmpty();
        assertThat(r.checks()).extracting(Check::status).doesNotContain(Check.Status.SKIPPED);
        assertThat(r.checks()).extracting(c -> c.environment() + " " + c.name()).contains(
                "production cluster-active", "production container-instances", "production instance-types",
                "production auto-scaling-group", "production scale-out", "production scale-in", "production scale-in-protection",
                "production protected-instances", "production file-system", "production mount-targets",
                "production load-balancer-active", "production route element.virtual.software.bz.it", "production targets element",
                "production route meet.virtual.software.bz.it", "production targets meet",
                "production record element.virtual.software.bz.it", "production record meet.virtual.software.bz.it",
                "staging no-scaling", "staging instance-types", "staging record element-staging.virtual.software.bz.it");
        assertThat(check(r, "production", "scale-out").message()).contains("cpu-high", ">= 75%");
        SeedInstallation.Environment p = seed.environment("production");
        String primary = p.instancesByRole().get("primary");
        String secondary = p.instancesByRole().get("secondary");
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("production map: ")
                .contains(primary + " (c5.xlarge, eu-central-1a, protected) -> jitsi -> meet -> meet.virtual.software.bz.it")
                .contains(secondary + " (c5.xlarge, eu-central-1b, not protected) -> matrix -> element -> element.virtual.software.bz.it"));
        String html = VerificationHtml.render(r, java.time.Instant.parse("2026-11-29T05:00:00Z"));
        assertThat(html).contains("<h2>autoScalingGroup</h2>", "<h2>loadBalancer</h2>", "<h2>dns</h2>", "<h2>Installation</h2>")
                .contains("<li>production map: " + primary + " (c5.xlarge, eu-central-1a, protected) -&gt; jitsi -&gt; meet");
        assertThat(r.awsCalls()).containsOnlyKeys("staging", "production");
        assertThat(r.awsCalls().get("production")).isPositive();
    }

    @Test
    void theProtectedInstanceUnprotectedIsNamedWithItsZoneAndTasks() {
        SeedInstallation.Environment p = seed.environment("production");
        String primary = p.instancesByRole().get("primary");
        seed.autoScaling.setInstanceProtection(s -> s.autoScalingGroupName(p.autoScalingGroup()).instanceIds(primary).protectedFromScaleIn(false));
        VerificationReport r = verify();
        assertThat(check(r, "production", "scale-in-protection").status()).isEqualTo(Check.Status.FAILED);
        assertThat(check(r, "production", "scale-in-protection").message()).contains("0 InService instance(s)", "expected at least 1");
        Check running = check(r, "production", "protected-instances");
        assertThat(running.status()).isEqualTo(Check.Status.FAILED);
        assertThat(running.message()).contains(primary + " in eu-central-1a runs jitsi ");
        assertThat(failed(r)).hasSize(2);
    }

    @Test
    void anAlarmAtEightyPercentIsReportedWithExpectedAndActual() {
        SeedInstallation.Environment p = seed.environment("production");
        String policy = seed.autoScaling.describePolicies(d -> d.autoScalingGroupName(p.autoScalingGroup()).policyNames("scale-out"))
                .scalingPolicies().get(0).policyARN();
        seed.cloudWatch.putMetricAlarm(a -> a.alarmName("cpu-high").namespace("AWS/EC2").metricName("CPUUtilization").statistic(Statistic.AVERAGE)
                .dimensions(Dimension.builder().name("AutoScalingGroupName").value(p.autoScalingGroup()).build()).period(300).evaluationPeriods(2)
                .threshold(80.0).comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD).alarmActions(policy));
        VerificationReport r = verify();
        assertThat(failed(r)).containsExactly("production scale-out: scale-out alarm cpu-high fires at 80%, expected 75% (policy scale-out); "
                + "expected CPU >= 75%");
    }

    /** The seeded cpu-high alarm of production again, changed by {@code change}. */
    private void changeCpuHigh(java.util.function.Consumer<software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest.Builder> change) {
        SeedInstallation.Environment p = seed.environment("production");
        String policy = seed.autoScaling.describePolicies(d -> d.autoScalingGroupName(p.autoScalingGroup()).policyNames("scale-out"))
                .scalingPolicies().get(0).policyARN();
        seed.cloudWatch.putMetricAlarm(a -> {
            a.alarmName("cpu-high").namespace("AWS/EC2").metricName("CPUUtilization").statistic(Statistic.AVERAGE)
                    .dimensions(Dimension.builder().name("AutoScalingGroupName").value(p.autoScalingGroup()).build()).period(300).evaluationPeriods(2)
                    .threshold(75.0).comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD).alarmActions(policy);
            change.accept(a);
        });
    }

    @Test
    void aScaleOutAlarmWithItsActionsDisabledFiresNothing() {
        changeCpuHigh(a -> a.actionsEnabled(false));
        VerificationReport r = verify();
        assertThat(failed(r)).containsExactly("production scale-out: scale-out alarm cpu-high has its actions disabled (ActionsEnabled: false), "
                + "so it fires nothing (policy scale-out); expected CPU >= 75%");
    }

    @Test
    void aDisabledScalingPolicyIsNamed() {
        // moto 5.2.1 does not keep a policy's Enabled flag: the answer of its DescribePolicies is changed on the way in.
        aws.with(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public software.amazon.awssdk.core.SdkResponse modifyResponse(software.amazon.awssdk.core.interceptor.Context.ModifyResponse context,
                                                                          software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.response() instanceof software.amazon.awssdk.services.autoscaling.model.DescribePoliciesResponse d) {
                    return d.toBuilder().scalingPolicies(d.scalingPolicies().stream()
                            .map(p -> p.policyName().equals("scale-in") ? p.toBuilder().enabled(false).build() : p).toList()).build();
                }
                return context.response();
            }
        });
        VerificationReport r = verify();
        assertThat(failed(r)).containsExactly("production scale-in: scale-in alarm cpu-low fires policy scale-in, which is disabled "
                + "(Enabled: false) (policy scale-in); expected CPU <= 25%");
    }

    @Test
    void suspendedProcessesAreNamed() {
        String group = seed.environment("production").autoScalingGroup();
        seed.autoScaling.suspendProcesses(s -> s.autoScalingGroupName(group).scalingProcesses("Launch", "AlarmNotification"));
        VerificationReport r = verify();
        Check processes = check(r, "production", "scaling-processes");
        assertThat(processes.status()).isEqualTo(Check.Status.FAILED);
        assertThat(processes.message()).startsWith("suspended processes of " + group + ": ").contains("Launch").contains("AlarmNotification");
        assertThat(failed(r)).hasSize(1);
        assertThat(check(r, "staging", "scaling-processes").status()).isEqualTo(Check.Status.PASSED);
    }

    @Test
    void anAlarmWithoutDataForADayIsBlind() {
        seed.cloudWatch.setAlarmState(s -> s.alarmName("cpu-high").stateValue("INSUFFICIENT_DATA").stateReason("no datapoints"));
        assertThat(failed(verify())).as("an hour without data is a quiet night").isEmpty();
        VerificationReport tomorrow = new Verify(env -> aws, null, null, java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofHours(25)))
                .run(config, List.of(), INSTALLATION);
        assertThat(failed(tomorrow)).singleElement().asString().startsWith("production scale-out: scale-out alarm cpu-high has been in "
                + "INSUFFICIENT_DATA since ").contains("it gets no CPU data and would not fire");
    }

    @Test
    void aScalingPolicyOnStagingIsAFinding() {
        String group = seed.environment("staging").autoScalingGroup();
        seed.autoScaling.putScalingPolicy(p -> p.autoScalingGroupName(group).policyName("someone-added-this").policyType("TargetTrackingScaling")
                .targetTrackingConfiguration(t -> t.predefinedMetricSpecification(m -> m.predefinedMetricType("ASGAverageCPUUtilization")).targetValue(50.0)));
        VerificationReport r = verify();
        Check none = check(r, "staging", "no-scaling");
        assertThat(none.status()).isEqualTo(Check.Status.FAILED);
        assertThat(none.message()).contains("someone-added-this", "target-tracking", "expected none");
        assertThat(failed(r)).hasSize(1);
    }

    @Test
    void aZoneWithoutAMountTargetIsNamed() {
        SeedInstallation.Environment p = seed.environment("production");
        seed.efs.deleteMountTarget(d -> d.mountTargetId(p.mountTargetsByZone().get("eu-central-1b")));
        VerificationReport r = verify();
        Check mounts = check(r, "production", "mount-targets");
        assertThat(mounts.status()).isEqualTo(Check.Status.FAILED);
        assertThat(mounts.message()).contains("no available mount target in eu-central-1b (where " + p.instancesByRole().get("secondary") + " runs)");
        assertThat(failed(r)).hasSize(1);
    }

    @Test
    void aDeregisteredTargetLeavesItsGroupWithoutTargets() {
        SeedInstallation.Environment p = seed.environment("production");
        seed.elb.deregisterTargets(d -> d.targetGroupArn(p.targetGroupArns().get("element"))
                .targets(t -> t.id(p.instancesByRole().get("secondary")).port(8080)));
        VerificationReport r = verify();
        assertThat(failed(r)).containsExactly("production targets element: target group element has no registered targets: no healthy target serves it");
    }

    @Test
    void anUnhealthyTargetGivesIdPortStateReasonAndDescription() {
        SeedInstallation.Environment p = seed.environment("production");
        seed.ec2.stopInstances(s -> s.instanceIds(p.instancesByRole().get("secondary")));
        VerificationReport r = verify();
        Check targets = check(r, "production", "targets element");
        assertThat(targets.status()).isEqualTo(Check.Status.FAILED);
        assertThat(targets.message()).contains("no healthy target", "target " + p.instancesByRole().get("secondary") + " port 8080 is ")
                .contains("Target.InvalidState");
    }

    @Test
    void aTargetGroupWithNoTargetsFailsEvenWithNothingRegistered() {
        SeedInstallation.Environment s = seed.environment("staging");
        seed.elb.deregisterTargets(d -> d.targetGroupArn(s.targetGroupArns().get("element-staging"))
                .targets(t -> t.id(s.instancesByRole().get("primary")).port(8080)));
        VerificationReport r = verify();
        assertThat(check(r, "staging", "targets element-staging").status()).isEqualTo(Check.Status.FAILED);
        assertThat(check(r, "staging", "targets element-staging").message()).contains("no registered targets");
    }

    @Test
    void aHostThatNoRuleForwardsIsNamed() {
        config = Environments.parse("seeded.yaml", seed.environmentsYaml().replace(
                "        - {host: meet.virtual.software.bz.it, targetGroup: meet, port: 8000}\n",
                "        - {host: meet.virtual.software.bz.it, targetGroup: meet, port: 8000}\n"
                        + "        - {host: call.virtual.software.bz.it, targetGroup: meet, port: 8000}\n"));
        VerificationReport r = verify();
        assertThat(failed(r)).containsExactly("production route call.virtual.software.bz.it: no listener rule of jitsi-alb forwards "
                + "GET / for call.virtual.software.bz.it (expected to target group meet): listener HTTP:80, the default rule answers with "
                + "fixed-response 404");
    }

    @Test
    void aWildcardRuleOfHigherPriorityDecidesWhereAHostGoes() {
        SeedInstallation.Environment p = seed.environment("production");
        String listener = seed.elb.describeListeners(d -> d.loadBalancerArn(p.loadBalancerArn())).listeners().get(0).listenerArn();
        // Evaluated before the element rule (priority 1 or 2): every host of the zone to meet.
        seed.elb.setRulePriorities(r -> r.rulePriorities(seed.elb.describeRules(d -> d.listenerArn(listener)).rules().stream()
                .filter(rule -> !rule.isDefault()).map(rule -> software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair.builder()
                        .ruleArn(rule.ruleArn()).priority(Integer.parseInt(rule.priority()) + 10).build()).toList()));
        seed.elb.createRule(c -> c.listenerArn(listener).priority(1).conditions(k -> k.field("host-header").values("*." + SeedInstallation.ZONE))
                .actions(a -> a.type("forward").targetGroupArn(p.targetGroupArns().get("meet"))));
        VerificationReport r = verify();
        assertThat(failed(r)).containsExactly("production route element.virtual.software.bz.it: GET / for element.virtual.software.bz.it "
                + "is not forwarded to target group element: listener HTTP:80, rule 1 (host-header *.virtual.software.bz.it) forwards to "
                + "target group meet");
    }

    private String productionListener() {
        return seed.elb.describeListeners(d -> d.loadBalancerArn(seed.environment("production").loadBalancerArn())).listeners().get(0).listenerArn();
    }

    /** Moves the seeded rules down by ten, so that a test can put a rule before them. */
    private void makeRoomBeforeTheSeededRules(String listener) {
        seed.elb.setRulePriorities(r -> r.rulePriorities(seed.elb.describeRules(d -> d.listenerArn(listener)).rules().stream()
                .filter(rule -> !rule.isDefault()).map(rule -> software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair.builder()
                        .ruleArn(rule.ruleArn()).priority(Integer.parseInt(rule.priority()) + 10).build()).toList()));
    }

    @Test
    void aNarrowerRuleForTheSameHostDoesNotDecideForAPlainRequest() {
        // Before the meet rule: only /api/* of the meet host goes to element. GET / still goes to meet.
        SeedInstallation.Environment p = seed.environment("production");
        String listener = productionListener();
        makeRoomBeforeTheSeededRules(listener);
        seed.elb.createRule(c -> c.listenerArn(listener).priority(1).conditions(
                        k -> k.field("host-header").values("meet." + SeedInstallation.ZONE),
                        k -> k.field("path-pattern").values("/api/*"))
                .actions(a -> a.type("forward").targetGroupArn(p.targetGroupArns().get("element"))));
        VerificationReport r = verify();
        assertThat(failed(r)).isEmpty();
        // The seeded rule of the meet host, moved down by ten (the seed numbers its rules in its own order).
        assertThat(check(r, "production", "route meet.virtual.software.bz.it").message())
                .matches("meet\\.virtual\\.software\\.bz\\.it -> target group meet on port 8000 \\(listener HTTP:80, rule 1[12] "
                        + "\\(host-header meet\\.virtual\\.software\\.bz\\.it\\)\\)");
    }

    @Test
    void aRuleThatOnlyForwardsSomePathsOfTheHostIsNoRouteForIt() {
        // The only rule for the host takes /assets/* alone: GET / reaches the default action, a 404.
        SeedInstallation.Environment p = seed.environment("production");
        String listener = productionListener();
        String meetRule = seed.elb.describeRules(d -> d.listenerArn(listener)).rules().stream()
                .filter(rule -> rule.conditions().stream().anyMatch(c -> c.values().contains("meet." + SeedInstallation.ZONE)))
                .findFirst().orElseThrow().ruleArn();
        seed.elb.modifyRule(m -> m.ruleArn(meetRule).conditions(
                k -> k.field("host-header").values("meet." + SeedInstallation.ZONE),
                k -> k.field("path-pattern").values("/assets/*")));
        VerificationReport r = verify();
        assertThat(failed(r)).containsExactly("production route meet.virtual.software.bz.it: no listener rule of jitsi-alb forwards "
                + "GET / for meet.virtual.software.bz.it (expected to target group meet): listener HTTP:80, the default rule answers with "
                + "fixed-response 404");
    }

    @Test
    void rulesOnAQueryStringAHeaderOrAnotherMethodDoNotTakeAPlainRequest() {
        SeedInstallation.Environment p = seed.environment("production");
        String listener = productionListener();
        makeRoomBeforeTheSeededRules(listener);
        String element = p.targetGroupArns().get("element");
        seed.elb.createRule(c -> c.listenerArn(listener).priority(1).conditions(k -> k.field("host-header").values("meet." + SeedInstallation.ZONE),
                k -> k.field("query-string").queryStringConfig(q -> q.values(v -> v.key("debug").value("1")))).actions(a -> a.type("forward").targetGroupArn(element)));
        seed.elb.createRule(c -> c.listenerArn(listener).priority(2).conditions(k -> k.field("host-header").values("meet." + SeedInstallation.ZONE),
                k -> k.field("http-header").httpHeaderConfig(h -> h.httpHeaderName("X-Canary").values("yes"))).actions(a -> a.type("forward").targetGroupArn(element)));
        seed.elb.createRule(c -> c.listenerArn(listener).priority(3).conditions(k -> k.field("host-header").values("meet." + SeedInstallation.ZONE),
                k -> k.field("http-request-method").httpRequestMethodConfig(m -> m.values("POST"))).actions(a -> a.type("forward").targetGroupArn(element)));
        seed.elb.createRule(c -> c.listenerArn(listener).priority(4).conditions(k -> k.field("host-header").values("meet." + SeedInstallation.ZONE),
                k -> k.field("source-ip").sourceIpConfig(ip -> ip.values("10.0.0.0/8"))).actions(a -> a.type("forward").targetGroupArn(element)));
        VerificationReport r = verify();
        assertThat(failed(r)).isEmpty();

        // A GET rule open to every address does take it.
        seed.elb.createRule(c -> c.listenerArn(listener).priority(5).conditions(k -> k.field("host-header").values("meet." + SeedInstallation.ZONE),
                k -> k.field("http-request-method").httpRequestMethodConfig(m -> m.values("GET", "HEAD")),
                k -> k.field("source-ip").sourceIpConfig(ip -> ip.values("0.0.0.0/0"))).actions(a -> a.type("forward").targetGroupArn(element)));
        assertThat(failed(verify())).singleElement().asString().startsWith("production route meet.virtual.software.bz.it: GET / for "
                + "meet.virtual.software.bz.it is not forwarded to target group meet: listener HTTP:80, rule 5 (host-header meet.virtual.software.bz.it; "
                + "http-request-method GET, HEAD; source-ip 0.0.0.0/0) forwards to target group element");
    }

    @Test
    void aWeightedForwardCountsTheGroupsWithWeightAboveZero() {
        SeedInstallation.Environment p = seed.environment("production");
        String listener = productionListener();
        makeRoomBeforeTheSeededRules(listener);
        seed.elb.createRule(c -> c.listenerArn(listener).priority(1).conditions(k -> k.field("host-header").values("meet." + SeedInstallation.ZONE))
                .actions(a -> a.type("forward").forwardConfig(f -> f.targetGroups(
                        t -> t.targetGroupArn(p.targetGroupArns().get("element")).weight(0),
                        t -> t.targetGroupArn(p.targetGroupArns().get("meet")).weight(100)))));
        assertThat(failed(verify())).isEmpty();

        String rule = seed.elb.describeRules(d -> d.listenerArn(listener)).rules().stream().filter(x -> "1".equals(x.priority())).findFirst().orElseThrow().ruleArn();
        seed.elb.modifyRule(m -> m.ruleArn(rule).actions(a -> a.type("forward").forwardConfig(f -> f.targetGroups(
                t -> t.targetGroupArn(p.targetGroupArns().get("element")).weight(100),
                t -> t.targetGroupArn(p.targetGroupArns().get("meet")).weight(0)))));
        assertThat(failed(verify())).singleElement().asString().contains("rule 1 (host-header meet.virtual.software.bz.it) forwards to target group element");
    }

    @Test
    void aCnameToTheStagingLoadBalancerSaysSo() {
        seed.cname("element." + SeedInstallation.ZONE, seed.environment("staging").loadBalancerDns());
        VerificationReport r = verify();
        Check record = check(r, "production", "record element.virtual.software.bz.it");
        assertThat(record.status()).isEqualTo(Check.Status.FAILED);
        assertThat(record.message()).isEqualTo("element.virtual.software.bz.it is a CNAME to " + seed.environment("staging").loadBalancerDns()
                + ", the load balancer of staging; expected " + seed.environment("production").loadBalancerDns() + " (production's load balancer)");
        assertThat(failed(r)).hasSize(1);
    }

    @Test
    void aWrongInstanceTypeIsNamedWithItsZone() {
        config = Environments.parse("seeded.yaml", seed.environmentsYaml().replace("instanceTypes: [c5.xlarge]", "instanceTypes: [c5.2xlarge]"));
        VerificationReport r = verify();
        Check types = check(r, "production", "instance-types");
        assertThat(types.status()).isEqualTo(Check.Status.FAILED);
        String primary = seed.environment("production").instancesByRole().get("primary");
        assertThat(types.message()).contains(primary + " (c5.xlarge, eu-central-1a)", "expected c5.2xlarge");
    }

    @Test
    void theShippedFileSkipsWhatTheSeedNotesDoNotNameAndChecksWhatTheyDo() {
        config = Environments.defaults();
        VerificationReport r = new Verify(env -> aws, null, null).run(config, List.of("production"), INSTALLATION);
        // The seed notes name the cluster, its instance type, the file system and the element host...
        assertThat(check(r, "production", "instance-types").status()).isEqualTo(Check.Status.PASSED);
        assertThat(check(r, "production", "file-system").message()).isEqualTo("EFS file system fs-b61d8482 (jitsi-matrix-efs) does not exist in eu-central-1");
        Check record = check(r, "production", "record element.virtual.software.bz.it");
        assertThat(record.status()).isEqualTo(Check.Status.SKIPPED);
        assertThat(record.message()).isEqualTo("element.virtual.software.bz.it is a CNAME to " + seed.environment("production").loadBalancerDns()
                + "; not compared: the load balancer's name example-jitsi-alb is a placeholder");
        // ...but not the Auto Scaling group, the load balancer or its target groups.
        assertThat(check(r, "production", "auto-scaling-group").status()).isEqualTo(Check.Status.SKIPPED);
        assertThat(check(r, "production", "auto-scaling-group").message()).contains("placeholder name example-jitsi-cluster-asg");
        assertThat(check(r, "production", "load-balancer-active").status()).isEqualTo(Check.Status.SKIPPED);
    }

    @Test
    void aFileSystemThatDoesNotExistIsNamedAndTheOtherSectionsStillRun() {
        config = Environments.parse("seeded.yaml", seed.environmentsYaml().replace("efsFileSystemId: " + seed.environment("production").fileSystemId(),
                "efsFileSystemId: fs-0000000000000000f"));
        VerificationReport r = verify();
        assertThat(failed(r)).containsExactly("production file-system: EFS file system fs-0000000000000000f (jitsi-matrix-efs) does not exist in eu-central-1");
        assertThat(check(r, "production", "load-balancer-active").status()).isEqualTo(Check.Status.PASSED);
    }

    @Test
    void absentSectionsAreNotCheckedAndTheSummarySaysSoInOneLine() {
        config = Environments.parse("plain.yaml", """
                environments:
                  staging:
                    region: eu-central-1
                    cluster: jitsi-staging-cluster
                    services:
                      jitsi: {service: jitsi}
                """);
        VerificationReport r = verify();
        assertThat(r.checks()).isEmpty();
        assertThat(r.notes()).containsExactly("staging: not checked: capacity, storage, loadBalancer, dns (not in the environments file)");
        assertThat(r.summary()).contains("staging: not checked: capacity, storage, loadBalancer, dns (not in the environments file)\n");
    }
}
