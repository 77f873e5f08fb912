package events.jitsi.simulator;

import java.util.Map;
import java.util.TreeMap;

/**
 * What an EC2 instance type offers ECS tasks: CPU units (1,024 a vCPU) and the memory the ECS agent registers, which is
 * less than the installed memory (the kernel and the platform keep some: the ECS guide's example is an m4.large with
 * 8 GiB that registers 7,985 MiB; this table takes 207 MiB off every type).
 */
public record InstanceType(String name, int vcpus, int memoryGiB) {
    /** MiB the platform keeps from the installed memory, as in the ECS guide's m4.large example. */
    static final int PLATFORM_MIB = 8192 - 7985;

    private static final Map<String, InstanceType> KNOWN = new TreeMap<>();

    static {
        for (InstanceType t : new InstanceType[] {
                new InstanceType("t3.medium", 2, 4), new InstanceType("t3.large", 2, 8), new InstanceType("t3.xlarge", 4, 16),
                new InstanceType("c5.large", 2, 4), new InstanceType("c5.xlarge", 4, 8), new InstanceType("c5.2xlarge", 8, 16),
                new InstanceType("c5a.large", 2, 4), new InstanceType("c5a.xlarge", 4, 8), new InstanceType("c5a.2xlarge", 8, 16),
                new InstanceType("m5.large", 2, 8), new InstanceType("m5.xlarge", 4, 16), new InstanceType("m5.2xlarge", 8, 32),
                new InstanceType("m4.large", 2, 8), new InstanceType("r5.large", 2, 16), new InstanceType("r5.xlarge", 4, 32)}) {
            KNOWN.put(t.name, t);
        }
    }

    /** The type of this name, or an error that lists the ones the simulator knows. */
    static InstanceType of(String name) {
        InstanceType t = KNOWN.get(name);
        if (t == null) {
            throw new IllegalArgumentException("unknown instance type '" + name + "'; the simulator knows " + String.join(", ", KNOWN.keySet()));
        }
        return t;
    }

    int cpuUnits() {
        return vcpus * 1024;
    }

    int registeredMemory() {
        return memoryGiB * 1024 - PLATFORM_MIB;
    }
}
