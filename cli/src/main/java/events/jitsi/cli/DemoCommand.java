package events.jitsi.cli;

import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.time.VirtualTime;
import events.jitsi.simulator.EcsSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Runs the tool against an ECS simulator on loopback with the seed topology, in simulated time, so a newcomer sees
 * every command work without an AWS account.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Start an ECS simulator with the seed topology and run the main commands against it.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        VirtualTime time = new VirtualTime(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        try (EcsSimulator sim = EcsSimulator.startDefault(time);
             AwsServices aws = new AwsServices(sim.region(), sim.endpoint(),
                     StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDDEMO", "demo-not-a-secret")))) {
            out.println("ECS simulator on " + sim.endpoint() + " with the seed topology: clusters jitsi-staging-cluster and"
                    + " jitsi-cluster, services jitsi and matrix. Time is simulated: minutes of rollout pass in moments.");
            Main.Environment environment = Main.Environment.fixed(aws, time);
            List<String> unexpected = new ArrayList<>();
            step(environment, out, unexpected, 0, "deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi",
                    "--image", "web=jitsi/web:stable-10133", "--wait");
            step(environment, out, unexpected, 0, "deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi",
                    "--image", "web=jitsi/web:stable-10133", "--wait");
            out.println("\n# An image that cannot be pulled: the circuit breaker fails the rollout and ECS rolls back.");
            step(environment, out, unexpected, 1, "deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi",
                    "--image", "web=jitsi/web:broken", "--wait", "--rollback-on-failure");
            step(environment, out, unexpected, 2, "deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi",
                    "--revision", "99");
            out.println("\n# Staging and production differ: verification reports the drift (and exits 1).");
            String junit = junitFile();
            step(environment, out, unexpected, 1, "verify", "--only", "ecs", "--junit", junit);
            out.println("\n# Promote what runs on staging: production keeps its own EFS, environment, secrets and sizes.");
            step(environment, out, unexpected, 0, "promote", "--service", "jitsi", "--dry-run");
            step(environment, out, unexpected, 0, "promote", "--service", "jitsi", "--yes");
            step(environment, out, unexpected, 0, "promote", "--service", "matrix", "--yes");
            step(environment, out, unexpected, 0, "verify", "--only", "ecs", "--junit", junit);
            if (!unexpected.isEmpty()) {
                out.println("\nThe demo did not go as expected: " + String.join("; ", unexpected));
                return Main.FAILED;
            }
            out.println("\nDemo finished: every command behaved as expected.");
            return Main.OK;
        }
    }

    private static String junitFile() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("events-jitsi-demo");
            dir.toFile().deleteOnExit();
            java.nio.file.Path file = dir.resolve("verify-junit.xml");
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void step(Main.Environment environment, PrintStream out, List<String> unexpected, int expectedExit, String... args) {
        out.println("\n$ events-jitsi " + String.join(" ", args));
        int code = Main.commandLine(environment, out, out).execute(args);
        out.println("(exit " + code + ")");
        if (code != expectedExit) {
            unexpected.add(String.join(" ", args) + " exited " + code + " instead of " + expectedExit);
        }
    }

}
