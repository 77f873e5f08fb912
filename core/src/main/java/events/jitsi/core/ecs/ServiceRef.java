package events.jitsi.core.ecs;

/** An ECS service: its cluster and name. */
public record ServiceRef(String cluster, String service) {
    @Override
    public String toString() {
        return service + " in " + cluster;
    }
}
