package events.jitsi.testbed;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The installation of the seed notes, built in moto through the AWS SDK: per environment an ECS cluster whose EC2
 * instances belong to an Auto Scaling group, tasks of the jitsi and matrix services on them, an EFS file system with
 * mount targets where the instances run, an Application Load Balancer whose host rules forward to target groups on
 * EC2 ports, and CNAME records in the zone virtual.software.bz.it. Production (jitsi-cluster, c5.xlarge) scales out at
 * 75% CPU and in at 25% and protects its primary instance from scale-in; staging (jitsi-staging-cluster, c5a.large)
 * does not scale. {@link #environmentsYaml()} is the environments file that describes it, every check passing.
 */
public final class SeedInstallation implements AutoCloseable {
    public static final String REGION = "eu-central-1";
    public static final String ZONE = "virtual.software.bz.it";

    /** What a test needs to break one thing on purpose. */
    public record Environment(String name, String cluster, String autoScalingGroup, String instanceType, String fileSystemId,
                              String fileSystemName, Map<String, String> instancesByRole, Map<String, String> zonesByInstance,
                              String loadBalancerName, String loadBalancerArn, String loadBalancerDns, Map<String, String> targetGroupArns,
                              Map<String, Integer> targetGroupPorts,
                              Map<String, String> alarmsByDirection, Map<String, String> mountTargetsByZone, Map<String, String> hosts) {
    }

    private final URI endpoint;
    private final List<SdkClient> clients = new ArrayList<>();
    public final Ec2Client ec2;
    public final EcsClient ecs;
    public final AutoScalingClient autoScaling;
    public final CloudWatchClient cloudWatch;
    public final EfsClient efs;
    public final ElasticLoadBalancingV2Client elb;
    public final Route53Client route53;
    private final Map<String, Environment> environments = new LinkedHashMap<>();
    private String hostedZoneId;

    public SeedInstallation(URI endpoint) {
        this.endpoint = endpoint;
        ec2 = keep(configure(Ec2Client.builder(), REGION).build());
        ecs = keep(configure(EcsClient.builder(), REGION).build());
        autoScaling = keep(configure(AutoScalingClient.builder(), REGION).build());
        cloudWatch = keep(configure(CloudWatchClient.builder(), REGION).build());
        efs = keep(configure(EfsClient.builder(), REGION).build());
        elb = keep(configure(ElasticLoadBalancingV2Client.builder(), REGION).build());
        route53 = keep(configure(Route53Client.builder(), Region.AWS_GLOBAL.id()).build());
    }

    /** Builds both environments (moto must be empty). */
    public SeedInstallation seed() {
        try {
            // A service's tasks keep running; moto's walk one step towards STOPPED each time they are described.
            MotoServer.setTransition(endpoint, "ecs::task", "{\"progression\": \"manual\", \"times\": 1000000}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<Subnet> subnets = new ArrayList<>(ec2.describeSubnets().subnets());
        subnets.sort(Comparator.comparing(Subnet::availabilityZone));
        String id = route53.createHostedZone(z -> z.name(ZONE).callerReference("events-jitsi-seed")).hostedZone().id();
        hostedZoneId = id.substring(id.lastIndexOf('/') + 1);
        environments.put("staging", environment("staging", "jitsi-staging-cluster", "c5a.large", "jitsi-matrix-efs-staging",
                subnets.subList(0, 1), false, Map.of("element-staging", 8080), Map.of("element-staging." + ZONE, "element-staging")));
        environments.put("production", environment("production", "jitsi-cluster", "c5.xlarge", "jitsi-matrix-efs",
                subnets.subList(0, 2), true, Map.of("element", 8080, "meet", 8000),
                Map.of("element." + ZONE, "element", "meet." + ZONE, "meet")));
        return this;
    }

    public Environment environment(String name) {
        return environments.get(name);
    }

    public String hostedZoneId() {
        return hostedZoneId;
    }

    /**
     * One environment. Its instances: "primary" in the first subnet's zone (runs jitsi, serves meet), and in production
     * "secondary" in the second zone (runs matrix, serves element); staging's one instance runs both.
     */
    private Environment environment(String name, String cluster, String type, String fsName, List<Subnet> subnets, boolean production,
                                    Map<String, Integer> targetGroups, Map<String, String> hosts) {
        String image = ec2.describeImages(d -> d.owners("amazon")).images().get(0).imageId();
        String group = cluster + "-asg";
        String template = cluster + "-template";
        ec2.createLaunchTemplate(t -> t.launchTemplateName(template).launchTemplateData(d -> d.imageId(image).instanceType(type)));
        autoScaling.createAutoScalingGroup(g -> g.autoScalingGroupName(group).launchTemplate(l -> l.launchTemplateName(template))
                .minSize(0).maxSize(3).desiredCapacity(0)
                .vpcZoneIdentifier(String.join(",", subnets.stream().map(Subnet::subnetId).toList())));
        Map<String, String> instances = new LinkedHashMap<>();
        Map<String, String> zones = new LinkedHashMap<>();
        List<String> roles = production ? List.of("primary", "secondary") : List.of("primary");
        for (int i = 0; i < roles.size(); i++) {
            Subnet subnet = subnets.get(i);
            String id = ec2.runInstances(r -> r.imageId(image).instanceType(InstanceType.fromValue(type)).minCount(1).maxCount(1)
                    .subnetId(subnet.subnetId())).instances().get(0).instanceId();
            instances.put(roles.get(i), id);
            zones.put(id, subnet.availabilityZone());
        }
        autoScaling.attachInstances(a -> a.autoScalingGroupName(group).instanceIds(instances.values()));
        autoScaling.updateAutoScalingGroup(u -> u.autoScalingGroupName(group).minSize(1).maxSize(3));
        autoScaling.setInstanceProtection(p -> p.autoScalingGroupName(group).instanceIds(instances.get("primary")).protectedFromScaleIn(true));

        Map<String, String> alarms = new LinkedHashMap<>();
        if (production) {
            alarms.put("out", scaling(group, "scale-out", 1, "cpu-high", ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 75));
            alarms.put("in", scaling(group, "scale-in", -1, "cpu-low", ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD, 25));
        }

        ecs.createCluster(c -> c.clusterName(cluster));
        Map<String, String> containerInstances = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : instances.entrySet()) {
            String document = "{\"instanceId\":\"" + e.getValue() + "\",\"availabilityZone\":\"" + zones.get(e.getValue())
                    + "\",\"instanceType\":\"" + type + "\",\"region\":\"" + REGION + "\"}";
            containerInstances.put(e.getKey(), ecs.registerContainerInstance(r -> r.cluster(cluster).instanceIdentityDocument(document))
                    .containerInstance().containerInstanceArn());
        }
        for (String service : List.of("jitsi", "matrix")) {
            String family = service + "-" + name;
            // As the real task definitions: jitsi's container that serves the meeting (and its watermark) is "web".
            ecs.registerTaskDefinition(t -> t.family(family).containerDefinitions(ContainerDefinition.builder().name(service.equals("jitsi") ? "web" : service)
                    .image(service.equals("jitsi") ? "jitsi/web:stable-10133" : "matrixdotorg/synapse:v1.120.0").memory(512).build()));
            ecs.createService(s -> s.cluster(cluster).serviceName(service).taskDefinition(family).desiredCount(1));
            String on = production && service.equals("matrix") ? "secondary" : "primary";
            ecs.startTask(t -> t.cluster(cluster).taskDefinition(family).group("service:" + service).containerInstances(containerInstances.get(on)));
        }

        String fs = efs.createFileSystem(f -> f.creationToken(fsName).tags(t -> t.key("Name").value(fsName))).fileSystemId();
        Map<String, String> mountTargets = new LinkedHashMap<>();
        for (Subnet subnet : subnets) {
            mountTargets.put(subnet.availabilityZone(), efs.createMountTarget(m -> m.fileSystemId(fs).subnetId(subnet.subnetId())).mountTargetId());
        }

        String lbName = production ? "jitsi-alb" : "jitsi-staging-alb";
        List<Subnet> all = ec2.describeSubnets().subnets();
        LoadBalancer lb = elb.createLoadBalancer(l -> l.name(lbName).subnets(all.stream().map(Subnet::subnetId).toList())).loadBalancers().get(0);
        String listener = elb.createListener(l -> l.loadBalancerArn(lb.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("404")))).listeners().get(0).listenerArn();
        Map<String, String> groups = new LinkedHashMap<>();
        int priority = 1;
        for (Map.Entry<String, String> host : hosts.entrySet()) {
            String tgName = host.getValue();
            String tg = groups.computeIfAbsent(tgName, n -> elb.createTargetGroup(t -> t.name(n).protocol(ProtocolEnum.HTTP)
                    .port(targetGroups.get(n)).vpcId(subnets.get(0).vpcId()).targetType(TargetTypeEnum.INSTANCE)).targetGroups().get(0).targetGroupArn());
            int p = priority++;
            elb.createRule(r -> r.listenerArn(listener).priority(p).conditions(c -> c.field("host-header").values(host.getKey()))
                    .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg)));
            String serving = production && tgName.equals("element") ? "secondary" : "primary";
            elb.registerTargets(r -> r.targetGroupArn(tg).targets(t -> t.id(instances.get(serving)).port(targetGroups.get(tgName))));
            cname(host.getKey(), lb.dnsName());
        }
        return new Environment(name, cluster, group, type, fs, fsName, instances, zones, lbName, lb.loadBalancerArn(), lb.dnsName(),
                groups, targetGroups, alarms, mountTargets, hosts);
    }

    /** A simple scaling policy fired by a CPU alarm on the group; moto's PutScalingPolicy answers without the ARN, so it is read back. */
    private String scaling(String group, String policy, int adjustment, String alarm, ComparisonOperator operator, double threshold) {
        autoScaling.putScalingPolicy(p -> p.autoScalingGroupName(group).policyName(policy).policyType("SimpleScaling")
                .adjustmentType("ChangeInCapacity").scalingAdjustment(adjustment));
        String arn = autoScaling.describePolicies(d -> d.autoScalingGroupName(group).policyNames(policy)).scalingPolicies().stream()
                .map(ScalingPolicy::policyARN).findFirst().orElseThrow();
        cloudWatch.putMetricAlarm(a -> a.alarmName(alarm).namespace("AWS/EC2").metricName("CPUUtilization").statistic(Statistic.AVERAGE)
                .dimensions(Dimension.builder().name("AutoScalingGroupName").value(group).build()).period(300).evaluationPeriods(2)
                .threshold(threshold).comparisonOperator(operator).alarmActions(arn));
        return alarm;
    }

    /** Creates or changes a CNAME record in the zone. */
    public void cname(String name, String value) {
        route53.changeResourceRecordSets(c -> c.hostedZoneId(hostedZoneId).changeBatch(b -> b.changes(ch -> ch.action(ChangeAction.UPSERT)
                .resourceRecordSet(r -> r.name(name).type(RRType.CNAME).ttl(300L).resourceRecords(v -> v.value(value))))));
    }

    /** The environments file of this installation, with the real ids moto gave (file systems). */
    public String environmentsYaml() {
        StringBuilder y = new StringBuilder("environments:\n");
        for (Environment e : environments.values()) {
            boolean production = e.name().equals("production");
            y.append("  ").append(e.name()).append(":\n")
                    .append("    region: ").append(REGION).append('\n')
                    .append("    cluster: ").append(e.cluster()).append('\n')
                    .append("    efsFileSystemId: ").append(e.fileSystemId()).append('\n')
                    .append("    services:\n      jitsi: {service: jitsi}\n      matrix: {service: matrix}\n")
                    .append("    capacity:\n")
                    .append("      autoScalingGroup: ").append(e.autoScalingGroup()).append('\n')
                    .append("      instanceTypes: [").append(e.instanceType()).append("]\n")
                    .append(production ? "      scaling: {scaleOutAtCpu: 75, scaleInAtCpu: 25}\n" : "      scaling: none\n")
                    .append("      scaleInProtection: {atLeast: 1, instancesRunning: [jitsi]}\n")
                    .append("    storage:\n      name: ").append(e.fileSystemName()).append('\n')
                    .append("    loadBalancer:\n      name: ").append(e.loadBalancerName()).append("\n      routes:\n");
            e.hosts().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(h -> y.append("        - {host: ").append(h.getKey())
                    .append(", targetGroup: ").append(h.getValue()).append(", port: ").append(e.targetGroupPorts().get(h.getValue())).append("}\n"));
            y.append("    dns:\n      zone: ").append(ZONE).append("\n      records:\n");
            e.hosts().keySet().stream().sorted().forEach(h -> y.append("        - {name: ").append(h).append(", cname: loadBalancer}\n"));
        }
        return y.toString();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, String region) {
        return builder.region(Region.of(region)).endpointOverride(endpoint).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new CloudWatchOverJson()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMOTO", "moto-test-secret")));
    }

    private <C extends SdkClient> C keep(C client) {
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        clients.forEach(SdkClient::close);
    }
}
