package events.jitsi.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one task of a task definition takes from an EC2 container instance when ECS places it: CPU units and memory
 * (the task-level size when given, else the sum of the containers': memoryReservation, else memory) and the host ports
 * it binds (bridge mode: the fixed host ports of its port mappings; host mode: the container ports; awsvpc: none on the
 * host's own interface).
 */
record TaskNeeds(int cpu, int memory, Set<String> hostPorts) {
    static TaskNeeds of(JsonNode taskDefinition) {
        int cpu = units(taskDefinition.path("cpu").asText(""), true);
        int memory = units(taskDefinition.path("memory").asText(""), false);
        int containersCpu = 0;
        int containersMemory = 0;
        Set<String> ports = new TreeSet<>();
        String mode = taskDefinition.path("networkMode").asText("bridge");
        for (JsonNode c : taskDefinition.path("containerDefinitions")) {
            containersCpu += c.path("cpu").asInt(0);
            containersMemory += c.has("memoryReservation") ? c.path("memoryReservation").asInt(0) : c.path("memory").asInt(0);
            for (JsonNode p : c.path("portMappings")) {
                String protocol = p.path("protocol").asText("tcp").toLowerCase(Locale.ROOT);
                int port = mode.equals("host") ? p.path("containerPort").asInt(0) : mode.equals("bridge") ? p.path("hostPort").asInt(0) : 0;
                if (port > 0) {
                    ports.add(protocol + "/" + port);
                }
            }
        }
        return new TaskNeeds(cpu > 0 ? cpu : containersCpu, memory > 0 ? memory : containersMemory, Set.copyOf(ports));
    }

    /** "1024", "1 vCPU", "2 GB", "512 MB" as CPU units or MiB; 0 when absent or not a size. */
    static int units(String value, boolean cpu) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(vcpu|gb|mb)?").matcher(v);
        if (!m.matches()) {
            return 0;
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2);
        if (unit == null || unit.equals("mb")) {
            return (int) n;
        }
        return (int) Math.round(n * 1024);
    }
}
