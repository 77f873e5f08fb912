package events.jitsi.cli.testbeds;

import events.jitsi.cli.Main;
import events.jitsi.core.aws.AwsServices;
import events.jitsi.testbed.CloudWatchOverJson;
import events.jitsi.testbed.LocalProsody;
import events.jitsi.testbed.MotoServer;
import events.jitsi.testbed.SsmHostAgent;
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
public final class DemoCommand implements Callable<Integer> {
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
            prosodyOverXmpp(out, unexpected);
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
            watermarkOverSsm(out, aws, time, file, unexpected);
        } catch (java.io.IOException | RuntimeException e) {
            unexpected.add("the installation checks against moto could not run: " + e.getMessage());
        }
    }

    /**
     * The watermark without an agent: SSM Run Command to the instance that runs staging's web task, in moto. moto runs
     * no command, so the instance's SSM agent is played by {@link SsmHostAgent}, which runs the script with bash here,
     * on a folder standing for the host's EFS mount.
     */
    private static void watermarkOverSsm(PrintStream out, AwsServices aws, VirtualTime time, java.nio.file.Path config, List<String> unexpected)
            throws java.io.IOException {
        java.nio.file.Path efs = java.nio.file.Files.createTempDirectory("events-jitsi-demo-efs");
        java.nio.file.Path images = java.nio.file.Files.createDirectories(efs.resolve("jitsi/jitsi-meet/images"));
        java.nio.file.Files.writeString(images.resolve("watermark.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">"
                + "<circle cx=\"5\" cy=\"5\" r=\"4\"/></svg>");
        java.nio.file.Path logo = efs.resolve("our-logo.svg");
        java.nio.file.Files.writeString(logo, "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" "
                + "inkscape:version=\"1.3\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\" fill=\"#4a90d9\"/></svg>");
        out.println("\n# The watermark without an agent on the hosts: SSM Run Command to the instance that runs staging's web task (moto"
                + " records the command; the instance's SSM agent is played by bash on this machine, on " + images + ").");
        Main.Environment ssm = Main.Environment.fixed(aws.with(new SsmHostAgent()), time);
        String[] where = {"--environment", "staging", "--config", config.toString(), "--dir", images.toString()};
        step(ssm, out, unexpected, 0, concat(new String[] {"watermark", "hide"}, where));
        step(ssm, out, unexpected, 0, concat(new String[] {"watermark", "restore"}, where));
        step(ssm, out, unexpected, 0, concat(new String[] {"watermark", "replace", logo.toString()}, where));
        step(ssm, out, unexpected, 2, concat(new String[] {"watermark", "restore", "--via", "ssm"}, new String[] {"--environment", "staging",
                "--config", config.toString(), "--dir", efs.resolve("no-such-folder").toString()}));
        deleteTree(efs);
    }

    /** The demo leaves no folder behind. */
    private static void deleteTree(java.nio.file.Path root) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    /** Accounts over the meeting's XMPP endpoint as a Prosody admin, against Debian's Prosody on loopback when installed. */
    private static void prosodyOverXmpp(PrintStream out, List<String> unexpected) {
        if (!LocalProsody.available()) {
            out.println("\n# Prosody accounts over XMPP need Debian's prosody (apt-get install -y prosody) to show here.");
            return;
        }
        try {
            java.nio.file.Path root = java.nio.file.Files.createTempDirectory("events-jitsi-demo-prosody");
            try (LocalProsody prosody = new LocalProsody(root)) {
                out.println("\n# Prosody accounts without a shell on the host: XEP-0133 over the meeting's WebSocket endpoint as a Prosody"
                        + " admin (a Prosody started here on loopback, " + prosody.websocket() + ").");
                String[] where = {"--endpoint", prosody.websocket(), "--admin", LocalProsody.ADMIN};
                // The passwords come from the environment variables the command reads, never from its arguments.
                Main.Environment secrets = Main.Environment.fixed(null, null).withVariables(java.util.Map.of(
                        "PROSODY_PASSWORD", "demo moderator password", "XMPP_ADMIN_PASSWORD", LocalProsody.ADMIN_PASSWORD));
                out.println("\n$ export PROSODY_PASSWORD=... XMPP_ADMIN_PASSWORD=...");
                step(secrets, out, unexpected, 0, concat(new String[] {"prosody", "register", "moderator"}, where));
                step(secrets, out, unexpected, 0, concat(new String[] {"prosody", "unregister", "moderator"}, where));
                step(secrets, out, unexpected, 2, concat(new String[] {"prosody", "unregister", "moderator"}, where));
            }
            deleteTree(root);
        } catch (java.io.IOException | RuntimeException e) {
            unexpected.add("the Prosody part could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unexpected.add("the Prosody part was interrupted");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
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
