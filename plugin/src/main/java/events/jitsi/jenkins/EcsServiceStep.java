package events.jitsi.jenkins;

/** The steps that act on one ECS service: its cluster and the service, besides the AWS arguments. */
public abstract class EcsServiceStep extends AwsStep {
    private final String cluster;
    private final String service;

    protected EcsServiceStep(String cluster, String service) {
        this.cluster = cluster;
        this.service = service;
    }

    public String getCluster() {
        return cluster;
    }

    public String getService() {
        return service;
    }
}
