package events.jitsi.core.ecs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import events.jitsi.core.aws.AwsServices;
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
public final class SimulatedEcs implements AutoCloseable {
    public static final String STAGING = "jitsi-staging-cluster";
    public static final String PRODUCTION = "jitsi-cluster";

    public final VirtualTime time = new VirtualTime(Instant.parse("2026-11-28T09:00:00Z"));
    public final EcsSimulator sim;
    /** The clients on the simulator; ECS calls through {@link #ecs} are counted in {@code aws.calls()}. */
    public final AwsServices aws;
    public final EcsClient ecs;
    public final List<String> log = new CopyOnWriteArrayList<>();
    public final Consumer<String> logger = log::add;

    public SimulatedEcs() {
        this(EcsSimulator.defaultState());
    }

    public SimulatedEcs(ObjectNode state) {
        sim = EcsSimulator.start(time, state);
        aws = new AwsServices(sim.region(), sim.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSIMULATOR", "simulator-secret")));
        ecs = aws.ecs();
    }

    /** True when no call that changes ECS reached the simulator. */
    public boolean nothingWritten() {
        return sim.calls().stream().noneMatch(c -> c.equals("UpdateService") || c.equals("RegisterTaskDefinition")
                || c.equals("DeregisterTaskDefinition"));
    }

    @Override
    public void close() {
        aws.close();
        sim.close();
    }
}
