package events.jitsi.core.config;

import java.util.List;
import java.util.Locale;

/**
 * What an environment is made of besides its ECS services, as the environments file describes it: the Auto Scaling
 * group and its instances, the EFS file system, the load balancer's routes and the DNS records. Each section is
 * optional (null): an absent section is not checked.
 */
public record Installation(Capacity capacity, Storage storage, LoadBalancer loadBalancer, Dns dns) {
    /**
     * The instances of the cluster. {@code scaling} null: not checked; {@link Scaling#NONE}: the group must not scale.
     * {@code scaleInProtection} null: not checked.
     */
    public record Capacity(String autoScalingGroup, List<String> instanceTypes, Scaling scaling, ScaleInProtection scaleInProtection) {
    }

    /** CPU thresholds (percent) of the simple/step scaling alarms; both null for {@link #NONE}. */
    public record Scaling(Integer scaleOutAtCpu, Integer scaleInAtCpu) {
        public static final Scaling NONE = new Scaling(null, null);

        public boolean none() {
            return scaleOutAtCpu == null && scaleInAtCpu == null;
        }
    }

    /** At least {@code atLeast} InService instances protected, and every instance that runs a task of these services. */
    public record ScaleInProtection(int atLeast, List<String> instancesRunning) {
    }

    /** The EFS file system's Name tag (its id is the environment's efsFileSystemId). */
    public record Storage(String name) {
    }

    public record LoadBalancer(String name, List<Route> routes) {
    }

    /** A host-header rule that forwards to a target group whose targets listen on {@code port}. */
    public record Route(String host, String targetGroup, int port) {
    }

    public record Dns(String zone, List<DnsRecord> records) {
    }

    /**
     * A CNAME record. {@code cname} is {@link #THIS_LOAD_BALANCER} for this environment's load balancer's DNS name; any
     * other value is compared literally.
     */
    public record DnsRecord(String name, String cname) {
        public static final String THIS_LOAD_BALANCER = "loadBalancer";

        public boolean pointsAtLoadBalancer() {
            return THIS_LOAD_BALANCER.equals(cname);
        }
    }

    /**
     * Whether a name in the file is a stand-in for one the seed notes do not give: a name starting "example-", or a host
     * on example.org/com/net, .example or .invalid. Checks that need it are reported as skipped, not failed.
     */
    public static boolean isPlaceholder(String nameOrHost) {
        if (nameOrHost == null) {
            return false;
        }
        String n = nameOrHost.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.startsWith("example-") || n.matches("(.*\\.)?example\\.(org|com|net)") || n.endsWith(".invalid") || n.endsWith(".example");
    }
}
