package events.jitsi.core.status;

import events.jitsi.core.ecs.DeployRevision;
import events.jitsi.core.ecs.TaskDefinitions;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

import java.util.List;
import java.util.Objects;

/**
 * What one service runs right now, as ECS reports it: one DescribeServices call. For a job that must say where a
 * service is after a failure (a rollback may have failed, or been interrupted), instead of what it meant to happen.
 */
public record ServiceSnapshot(String cluster, String service, String taskDefinitionArn, List<DeploymentState> deployments) {
    public record DeploymentState(String id, String status, String rolloutState, String taskDefinitionArn, int running,
                                  int desired, int failedTasks) {
    }

    public ServiceSnapshot {
        deployments = List.copyOf(deployments);
    }

    /** The service, read now; an unknown cluster or service is bad input. */
    public static ServiceSnapshot read(EcsClient ecs, String cluster, String service) {
        Service s = DeployRevision.describeService(ecs, cluster, service);
        List<DeploymentState> deployments = s.deployments().stream().map(d -> new DeploymentState(d.id(), d.status(),
                d.rolloutStateAsString(), d.taskDefinition(), value(d.runningCount()), value(d.desiredCount()), value(d.failedTasks()))).toList();
        return new ServiceSnapshot(cluster, s.serviceName(), s.taskDefinition(), deployments);
    }

    private static int value(Integer i) {
        return i == null ? 0 : i;
    }

    public DeploymentState primary() {
        return deployments.stream().filter(d -> "PRIMARY".equals(d.status())).findFirst().orElse(null);
    }

    /** One deployment, COMPLETED (or without rollout state), with all its tasks running. */
    public boolean settled() {
        DeploymentState p = primary();
        return p != null && deployments.size() == 1 && p.running() == p.desired()
                && (p.rolloutState() == null || "COMPLETED".equals(p.rolloutState()));
    }

    /** The state in one sentence, e.g. "jitsi in jitsi-cluster runs jitsi-meet-task:12 (deployment ecs-svc/1 COMPLETED, 1/1 running)". */
    public String summary() {
        DeploymentState p = primary();
        String where = service + " in " + cluster;
        if (p == null) {
            return where + " has no PRIMARY deployment; it is set to " + TaskDefinitions.shortName(taskDefinitionArn) + ".";
        }
        String primary = "deployment " + p.id() + " " + Objects.requireNonNullElse(p.rolloutState(), "(no rollout state)") + ", "
                + p.running() + "/" + p.desired() + " running" + (p.failedTasks() > 0 ? ", " + p.failedTasks() + " failed tasks" : "");
        if (settled()) {
            return where + " runs " + TaskDefinitions.shortName(p.taskDefinitionArn()) + " (" + primary + ").";
        }
        StringBuilder sb = new StringBuilder(where).append(" is rolling out ").append(TaskDefinitions.shortName(p.taskDefinitionArn()))
                .append(" (").append(primary).append(")");
        for (DeploymentState d : deployments) {
            if (d != p) {
                sb.append("; ").append(TaskDefinitions.shortName(d.taskDefinitionArn())).append(" still has ").append(d.running())
                        .append(" running (deployment ").append(d.id()).append(' ').append(Objects.requireNonNullElse(d.rolloutState(), d.status()))
                        .append(')');
            }
        }
        return sb.append('.').toString();
    }
}
