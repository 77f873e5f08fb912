package events.jitsi.core.ecs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import events.jitsi.core.time.VirtualTime;
import events.jitsi.simulator.EcsSimulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The simulator on loopback, the real SDK client pointed at it, and the virtual time both run on. */
final class SimulatedEcs implements AutoCloseable {
    static final String STAGING = "jitsi-staging-cluster";
    static final String PRODUCTION = "jitsi-cluster";

    final VirtualTime time = new VirtualTime(Instant.parse("2026-11-28T09:00:00Z"));
    final EcsSimulator sim;
    final EcsClient ecs;
    final List<String> log = new CopyOnWriteArrayList<>();
    final Consumer<String> logger = log::add;

    SimulatedEcs() {
        this(EcsSimulator.defaultState());
    }

    SimulatedEcs(ObjectNode state) {
        sim = EcsSimulator.start(time, state);
        ecs = EcsClients.create(sim.region(), sim.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSIMULATOR", "simulator-secret")));
    }

    /** True when no call that changes ECS reached the simulator. */
    boolean nothingWritten() {
        return sim.calls().stream().noneMatch(c -> c.equals("UpdateService") || c.equals("RegisterTaskDefinition")
                || c.equals("DeregisterTaskDefinition"));
    }

    @Override
    public void close() {
        ecs.close();
        sim.close();
    }
}
