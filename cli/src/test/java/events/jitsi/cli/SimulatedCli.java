package events.jitsi.cli;

import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.time.VirtualTime;
import events.jitsi.simulator.EcsSimulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Runs CLI commands in-process against the simulator, in simulated time, capturing what they print. */
final class SimulatedCli implements AutoCloseable {
    final VirtualTime time = new VirtualTime(Instant.parse("2026-11-28T09:00:00Z"));
    final EcsSimulator sim = EcsSimulator.startDefault(time);
    final AwsServices aws = new AwsServices(sim.region(), sim.endpoint(),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")));
    final EcsClient ecs = aws.ecs();
    String out;
    String err;

    int run(String... args) {
        return runWithInput("", args);
    }

    int runWithInput(String stdin, String... args) {
        return runIn(Main.Environment.fixed(aws, time), stdin, args);
    }

    /** As {@link #run}, the commands' AWS clients from {@code environment}. */
    int runIn(Main.Environment environment, String stdin, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(e, true, StandardCharsets.UTF_8);
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        java.io.InputStream savedIn = System.in;
        System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        System.setOut(outStream);
        System.setErr(errStream);
        try {
            return Main.commandLine(environment, outStream, errStream).execute(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.setIn(savedIn);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    boolean nothingWritten() {
        return sim.calls().stream().noneMatch(c -> c.equals("UpdateService") || c.equals("RegisterTaskDefinition"));
    }

    @Override
    public void close() {
        aws.close();
        sim.close();
    }
}
