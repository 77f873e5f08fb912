package events.jitsi.core.ecs;

import events.jitsi.core.InvalidInputException;

/** An ECS service: its cluster and name. A service given as an ARN is reduced to its name here. */
public record ServiceRef(String cluster, String service) {
    public ServiceRef {
        service = shortName(cluster, service);
    }

    /**
     * The service's name. ECS takes a service by name or by ARN ({@code arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME},
     * or the older {@code ...:service/NAME}) and answers with its name, and the engine matches answers by name, so an
     * ARN is reduced once, where a request is made (this record, {@link WaitRequest}, {@link DeployRequest}). An ARN of
     * another cluster than {@code cluster} is bad input.
     */
    public static String shortName(String cluster, String service) {
        if (service == null || !service.startsWith("arn:")) {
            return service;
        }
        String[] arn = service.split(":", 6);
        String[] path = arn.length == 6 && arn[2].equals("ecs") ? arn[5].split("/") : new String[0];
        if (path.length < 2 || path.length > 3 || !path[0].equals("service") || path[path.length - 1].isBlank()) {
            throw new InvalidInputException("'" + service + "' is not an ECS service ARN "
                    + "(arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME); give the service's name or its ARN.");
        }
        if (path.length == 3 && cluster != null && !path[1].equals(clusterName(cluster))) {
            throw new InvalidInputException("The service ARN " + service + " is in cluster " + path[1] + ", not in " + cluster + ".");
        }
        return path[path.length - 1];
    }

    /** A cluster's name, from its name or ARN ({@code arn:aws:ecs:REGION:ACCOUNT:cluster/NAME}). */
    static String clusterName(String cluster) {
        int slash = cluster.lastIndexOf('/');
        return cluster.startsWith("arn:") && slash >= 0 ? cluster.substring(slash + 1) : cluster;
    }

    @Override
    public String toString() {
        return service + " in " + cluster;
    }
}
