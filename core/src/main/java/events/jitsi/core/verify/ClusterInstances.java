package events.jitsi.core.verify;

import events.jitsi.core.aws.Arns;
import events.jitsi.core.aws.Batches;
import events.jitsi.core.aws.AwsServices;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What runs where in one cluster: its container instances, the EC2 instance, type and zone behind each, and the
 * tasks on each with the service that started them. Read with batched describe calls (100 container instances or
 * tasks per call), so the cost grows with the hundreds of tasks, not with each task.
 *
 * @param clusterStatus null when the cluster does not exist
 */
public record ClusterInstances(String cluster, String clusterStatus, List<Host> hosts) {
    /** Describe calls take at most this many container instances or tasks. */

    /**
     * One container instance. {@code services} are the ECS service names of its tasks (from the task's group,
     * {@code service:NAME}, which is what ECS sets for a service's tasks); {@code tasks} the short task ids with them.
     */
    public record Host(String containerInstanceArn, String instanceId, String status, boolean agentConnected, String type, String zone,
                       List<String> tasks, TreeSet<String> services) {
        public String describe() {
            return instanceId + " (" + (type == null ? "type unknown" : type) + ", " + (zone == null ? "zone unknown" : zone) + ")";
        }
    }

    public static ClusterInstances read(AwsServices aws, String cluster) {
        EcsClient ecs = aws.ecs();
        List<Cluster> clusters = ecs.describeClusters(d -> d.clusters(cluster)).clusters();
        if (clusters.isEmpty() || !"ACTIVE".equals(clusters.get(0).status())) {
            return new ClusterInstances(cluster, clusters.isEmpty() ? null : clusters.get(0).status(), List.of());
        }
        List<String> arns = new ArrayList<>();
        ecs.listContainerInstancesPaginator(l -> l.cluster(cluster)).containerInstanceArns().forEach(arns::add);
        Map<String, ContainerInstance> byArn = new LinkedHashMap<>();
        for (List<String> batch : batches(arns)) {
            ecs.describeContainerInstances(d -> d.cluster(cluster).containerInstances(batch)).containerInstances()
                    .forEach(ci -> byArn.put(ci.containerInstanceArn(), ci));
        }
        List<String> taskArns = new ArrayList<>();
        ecs.listTasksPaginator(l -> l.cluster(cluster)).taskArns().forEach(taskArns::add);
        Map<String, List<Task>> tasksByInstance = new LinkedHashMap<>();
        for (List<String> batch : batches(taskArns)) {
            for (Task t : ecs.describeTasks(d -> d.cluster(cluster).tasks(batch)).tasks()) {
                if (t.containerInstanceArn() != null) {
                    tasksByInstance.computeIfAbsent(t.containerInstanceArn(), k -> new ArrayList<>()).add(t);
                }
            }
        }
        Map<String, Instance> ec2 = new LinkedHashMap<>();
        List<String> instanceIds = byArn.values().stream().map(ContainerInstance::ec2InstanceId).filter(id -> id != null).distinct().toList();
        for (List<String> batch : batches(instanceIds)) {
            aws.ec2().describeInstances(d -> d.instanceIds(batch)).reservations()
                    .forEach(r -> r.instances().forEach(i -> ec2.put(i.instanceId(), i)));
        }
        List<Host> hosts = new ArrayList<>();
        for (ContainerInstance ci : byArn.values()) {
            Instance i = ec2.get(ci.ec2InstanceId());
            List<String> tasks = new ArrayList<>();
            TreeSet<String> services = new TreeSet<>();
            for (Task t : tasksByInstance.getOrDefault(ci.containerInstanceArn(), List.of())) {
                String service = t.group() != null && t.group().startsWith("service:") ? t.group().substring("service:".length()) : null;
                String id = Arns.lastPart(t.taskArn());
                tasks.add(service == null ? id : service + " " + id);
                if (service != null) {
                    services.add(service);
                }
            }
            hosts.add(new Host(ci.containerInstanceArn(), ci.ec2InstanceId(), ci.status(), Boolean.TRUE.equals(ci.agentConnected()),
                    i == null ? null : i.instanceTypeAsString(), i == null || i.placement() == null ? null : i.placement().availabilityZone(),
                    List.copyOf(tasks), services));
        }
        // In a stable order for people and reports: by zone, then instance.
        hosts.sort(java.util.Comparator.comparing((Host h) -> String.valueOf(h.zone())).thenComparing(h -> String.valueOf(h.instanceId())));
        return new ClusterInstances(cluster, clusters.get(0).status(), List.copyOf(hosts));
    }

    /** The zones the cluster's instances run in, sorted. */
    public TreeSet<String> zones() {
        TreeSet<String> zones = new TreeSet<>();
        hosts.forEach(h -> {
            if (h.zone() != null) {
                zones.add(h.zone());
            }
        });
        return zones;
    }

    private static List<List<String>> batches(List<String> all) {
        return Batches.of(all, Batches.DESCRIBE_TASKS);
    }
}
