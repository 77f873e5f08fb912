package events.jitsi.cli;

import events.jitsi.core.aws.AwsServices;
import events.jitsi.testbed.CloudWatchOverJson;
import events.jitsi.testbed.MotoServer;
import events.jitsi.testbed.SeedInstallation;
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
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Start an ECS simulator with the seed topology and run the main "
        + "commands against it; where moto is installed, also verify the whole installation in moto.")
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
            out.println("\n# The seed's staging is one c5a.large. Its services stop the old task first (minimum healthy 0%); with ECS's"
                    + " defaults (100% / 200%) a second jitsi task finds no memory while the old one runs: ECS retries for ever, the"
                    + " wait fails once the rollout has made no progress for --placement-stall.");
            sim.model().setDeploymentConfiguration("jitsi-staging-cluster", "jitsi", 100, 200);
            step(environment, out, unexpected, 1, "deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi",
                    "--revision", "4", "--wait", "--placement-stall", "3m");
            installation(out, time, unexpected);
            if (!unexpected.isEmpty()) {
                out.println("\nThe demo did not go as expected: " + String.join("; ", unexpected));
                return Main.FAILED;
            }
            out.println("\nDemo finished: every command behaved as expected.");
            return Main.OK;
        }
    }

    /**
     * The installation checks (instances, scaling, protection, EFS, load balancer, DNS) against moto seeded with the
     * seed installation, one record pointing at the wrong load balancer on purpose. Without moto the demo says so
     * and goes on: the rest needs no Python.
     */
    private static void installation(PrintStream out, VirtualTime time, List<String> unexpected) {
        if (!MotoServer.available()) {
            out.println("\n# The installation checks (instances, scaling, EFS, load balancer, DNS) need moto, an AWS test bed in Python:"
                    + " pip install 'moto[server]' and run the demo again to see them.");
            return;
        }
        out.println("\n# The whole installation, in moto (an independent AWS implementation) seeded like the seed notes: Auto Scaling"
                + " groups, alarms, instances, EFS, load balancers, DNS. One CNAME points at the staging load balancer on purpose.");
        try (MotoServer moto = MotoServer.start();
             SeedInstallation seed = new SeedInstallation(moto.endpoint()).seed();
             AwsServices aws = new AwsServices(SeedInstallation.REGION, moto.endpoint(),
                     StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDDEMO", "demo-not-a-secret"))).with(new CloudWatchOverJson())) {
            seed.cname("element." + SeedInstallation.ZONE, seed.environment("staging").loadBalancerDns());
            java.nio.file.Path file = java.nio.file.Files.createTempFile("events-jitsi-installation", ".yaml");
            file.toFile().deleteOnExit();
            java.nio.file.Files.writeString(file, seed.environmentsYaml());
            step(Main.Environment.fixed(aws, time), out, unexpected, 1, "verify", "--config", file.toString(),
                    "--only", "capacity,storage,loadBalancer,dns");
        } catch (java.io.IOException | RuntimeException e) {
            unexpected.add("the installation checks against moto could not run: " + e.getMessage());
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
