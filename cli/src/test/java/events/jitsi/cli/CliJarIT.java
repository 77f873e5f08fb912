package events.jitsi.cli;

import events.jitsi.testbed.LocalProsody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar, run as a process: what the README promises, end to end. */
class CliJarIT {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private Run run(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        return runWithout(List.of(), env, stdin, args);
    }

    /** As {@link #run}, with {@code unset} removed from the inherited environment first. */
    private Run runWithout(List<String> unset, Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("java", "-jar", System.getProperty("cli.jar")));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        unset.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out.txt")), Files.readString(tmp.resolve("err.txt")));
    }

    @Test
    void theCliJarCarriesNoTestBedAndSaysWhereToGetOneWhenItIsAlone() throws Exception {
        Path cliJar = Path.of(System.getProperty("cli.jar"));
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(cliJar.toFile())) {
            List<String> testBedEntries = jar.stream().map(java.util.jar.JarEntry::getName)
                    .filter(n -> n.startsWith("events/jitsi/simulator/") || n.startsWith("events/jitsi/testbed/")
                            || n.startsWith("events/jitsi/cli/testbeds/") || n.startsWith("io/netty/"))
                    .toList();
            assertThat(testBedEntries).isEmpty();
            assertThat(jar.getManifest().getMainAttributes().getValue("Class-Path")).isEqualTo("events-jitsi-testbeds.jar");
        }
        try (java.util.jar.JarFile testBeds = new java.util.jar.JarFile(cliJar.resolveSibling("events-jitsi-testbeds.jar").toFile())) {
            assertThat(testBeds.getEntry("events/jitsi/simulator/EcsSimulator.class")).isNotNull();
            assertThat(testBeds.getEntry("events/jitsi/cli/testbeds/DemoCommand.class")).isNotNull();
            assertThat(testBeds.getEntry("events/jitsi/cli/Main.class")).as("the CLI itself stays in the CLI jar").isNull();
        }

        Path alone = Files.copy(cliJar, Files.createDirectories(tmp.resolve("alone")).resolve("events-jitsi.jar"));
        for (List<String> args : List.of(List.of("demo"), List.of("simulator", "--port", "0"), List.of("--moto", "--region", "eu-central-1", "status"))) {
            List<String> argv = new ArrayList<>(List.of("java", "-jar", alone.toString()));
            argv.addAll(args);
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(output).isEqualTo(2);
            assertThat(output).contains("needs the test beds, which are not installed: put events-jitsi-testbeds.jar beside " + alone);
        }
        Process deployHelp = new ProcessBuilder("java", "-jar", alone.toString(), "deploy", "--help").redirectErrorStream(true).start();
        assertThat(new String(deployHelp.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("--task-definition");
        assertThat(deployHelp.waitFor()).isZero();
    }

    @Test
    void theDemoRunsAgainstTheEmbeddedSimulator() throws Exception {
        Run r = run(Map.of(), null, "demo");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Demo finished: every command behaved as expected.");
    }

    @Test
    void prosodyRegisterTakesThePasswordFromTheEnvironmentOrStdinAndNeverPassesItOn() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path argvLog = tmp.resolve("argv.log");
        Path wrapper = bin.resolve("prosodyctl");
        Files.writeString(wrapper, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + argvLog + "'; done\n"
                + "env >> '" + tmp.resolve("env.log") + "'\nexec /usr/bin/prosodyctl \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path config = tmp.resolve("prosody.cfg.lua");
        Files.writeString(config, "run_as_root = true\ndata_path = \"" + data + "\"\nauthentication = \"internal_hashed\"\n"
                + "log = { { levels = { min = \"error\" }, to = \"console\" } }\nVirtualHost \"meet.jitsi\"\n");
        String path = bin + ":" + System.getenv("PATH");

        Run fromEnv = run(Map.of("PATH", path, "PROSODY_PASSWORD", "env secret 1"), null,
                "prosody", "register", "moderator", "--local", "--config", config.toString());
        Run fromStdin = run(Map.of("PATH", path), "stdin secret 2\n",
                "--json", "prosody", "register", "moderator", "--local", "--config", config.toString());
        Run empty = run(Map.of("PATH", path), "\n", "prosody", "register", "other", "--local", "--config", config.toString());
        Run badName = run(Map.of("PATH", path, "PROSODY_PASSWORD", "x"), null, "prosody", "register", "Bad Name", "--local", "--config", config.toString());
        Run missing = run(Map.of("PATH", path), null, "prosody", "unregister", "nobody", "--local", "--config", config.toString());
        Run noWhere = run(Map.of("PATH", path), "x\n", "prosody", "register", "moderator");
        Run tabbed = run(Map.of("PATH", path, "PROSODY_PASSWORD", "tab\tsecret 3"), null,
                "prosody", "register", "tabbed", "--local", "--config", config.toString());
        Run tooLong = run(Map.of("PATH", path), "y".repeat(2000) + "\n", "prosody", "register", "long", "--local", "--config", config.toString());
        Run bidiName = run(Map.of("PATH", path, "PROSODY_PASSWORD", "x"), null, "prosody", "register", "adm\u202Enimoc.exe", "--local",
                "--config", config.toString());

        assertThat(fromEnv.code()).as(fromEnv.err()).isZero();
        assertThat(fromEnv.out()).contains("Created the account moderator@meet.jitsi.");
        assertThat(fromStdin.code()).as(fromStdin.err()).isZero();
        assertThat(fromStdin.out()).contains("\"message\":\"Changed the password of moderator@meet.jitsi.\"");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("password is empty");
        assertThat(badName.code()).isEqualTo(2);
        assertThat(badName.err()).contains("'B' at position 1");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("There is no account nobody@meet.jitsi");
        assertThat(noWhere.code()).isEqualTo(2);
        assertThat(data.resolve("meet%2ejitsi/accounts/other.dat")).doesNotExist();
        // Passwords prosodyctl would refuse are bad input naming the rule, before prosodyctl runs.
        assertThat(tabbed.code()).isEqualTo(2);
        assertThat(tabbed.err()).contains("ASCII control character such as TAB or ESC");
        assertThat(tooLong.code()).isEqualTo(2);
        assertThat(tooLong.err()).contains("at most 1023 bytes in UTF-8");
        assertThat(Files.readString(argvLog)).doesNotContain("tabbed").doesNotContain("long");
        // A refused name is quoted with its bidi override escaped, so the line reads as typed.
        assertThat(bidiName.code()).isEqualTo(2);
        assertThat(bidiName.err()).contains("'adm\\u202Enimoc.exe'").doesNotContain("\u202E");

        String everything = fromEnv.out() + fromEnv.err() + fromStdin.out() + fromStdin.err() + tabbed.out() + tabbed.err()
                + tooLong.out() + tooLong.err() + Files.readString(argvLog)
                + Files.readString(tmp.resolve("env.log"));
        assertThat(everything).doesNotContain("env secret 1").doesNotContain("stdin secret 2").doesNotContain("secret 3")
                .doesNotContain("yyyy");
    }

    @Test
    void prosodyOverXmppTakesEndpointAndAdminFromTheEnvironmentAndThePasswordsFromTheEnvironmentVariables() throws Exception {
        try (LocalProsody prosody = new LocalProsody(Files.createDirectories(tmp.resolve("prosody")))) {
            Path environments = tmp.resolve("environments.yaml");
            Files.writeString(environments, """
                    environments:
                      staging:
                        cluster: jitsi-staging-cluster
                        services: {jitsi: {service: jitsi}}
                        xmpp: {endpoint: "%s", domain: meet.jitsi, admin: %s}
                    """.formatted(prosody.websocket(), LocalProsody.ADMIN));
            Map<String, String> secrets = Map.of("PROSODY_PASSWORD", "moderator secret 7", "XMPP_ADMIN_PASSWORD", LocalProsody.ADMIN_PASSWORD);
            Run registered = run(secrets, null, "prosody", "register", "moderator", "--environment", "staging",
                    "--environments", environments.toString());
            Run wrongAdmin = run(Map.of("PROSODY_PASSWORD", "x y z", "XMPP_ADMIN_PASSWORD", "not it"), null, "prosody", "register", "other",
                    "--environment", "staging", "--environments", environments.toString());
            Run noAdminPassword = run(Map.of("PROSODY_PASSWORD", "x y z"), null, "prosody", "register", "other",
                    "--endpoint", prosody.bosh(), "--admin", LocalProsody.ADMIN);
            Run removed = run(Map.of("XMPP_ADMIN_PASSWORD", LocalProsody.ADMIN_PASSWORD), null, "--json", "prosody", "unregister", "moderator",
                    "--endpoint", prosody.bosh(), "--admin", LocalProsody.ADMIN + "@meet.jitsi");

            assertThat(registered.code()).as(registered.err()).isZero();
            assertThat(registered.out()).contains("Registered moderator@meet.jitsi and logged in as it.");
            assertThat(wrongAdmin.code()).isEqualTo(2);
            assertThat(wrongAdmin.err()).contains("could not log in (not-authorized)");
            assertThat(noAdminPassword.code()).isEqualTo(2);
            assertThat(noAdminPassword.err()).contains("Set XMPP_ADMIN_PASSWORD");
            assertThat(removed.code()).as(removed.err()).isZero();
            assertThat(removed.out()).contains("\"message\":\"Removed the account moderator@meet.jitsi.\"");
            assertThat(prosody.accountExists("moderator")).isFalse();
            assertThat(prosody.accountExists("other")).isFalse();
            String everything = registered.out() + registered.err() + wrongAdmin.out() + wrongAdmin.err() + removed.out() + removed.err();
            assertThat(everything).doesNotContain("moderator secret 7").doesNotContain(LocalProsody.ADMIN_PASSWORD).doesNotContain("not it");
        }
    }

    @Test
    void watermarkCommandsWorkOnAFolderAndRefuseUnsafeFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("images"));
        Files.writeString(dir.resolve("watermark.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><path d=\"M0 0h1v1z\"/></svg>");
        Path logo = tmp.resolve("logo.svg");
        Files.writeString(logo, "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"2\" height=\"2\"/></svg>");
        Path evil = tmp.resolve("evil.svg");
        Files.writeString(evil, "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>");

        assertThat(run(Map.of(), null, "watermark", "status", "--dir", dir.toString()).out()).contains("Status: present");
        Run bad = run(Map.of(), null, "watermark", "replace", evil.toString(), "--dir", dir.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("event attributes run scripts");
        Run replaced = run(Map.of(), null, "watermark", "replace", logo.toString(), "--dir", dir.toString());
        assertThat(replaced.code()).isZero();
        assertThat(replaced.out()).contains("Browsers cache").contains("Status: replaced");
        assertThat(run(Map.of(), null, "watermark", "hide", "--dir", dir.toString()).out()).contains("Status: hidden");
        assertThat(run(Map.of(), null, "watermark", "restore", "--dir", dir.toString()).code()).isZero();
        assertThat(run(Map.of(), null, "watermark", "restore", "--dir", dir.toString()).code()).isEqualTo(2);
        assertThat(run(Map.of(), null, "watermark", "rename", "--dir", dir.toString()).code()).isEqualTo(2);
    }

    @Test
    void noRegionAnywhereIsExitTwoAndAnUnreachableEndpointIsExitTwo() throws Exception {
        // No region in the environment, no AWS profile, and instance metadata off (and pointed at a closed loopback
        // port should anything still ask it).
        Map<String, String> noAws = Map.of("HOME", tmp.toString(), "AWS_CONFIG_FILE", tmp.resolve("none").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("none").toString(), "AWS_EC2_METADATA_DISABLED", "true",
                "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1", "AWS_ACCESS_KEY_ID", "AKIDTEST", "AWS_SECRET_ACCESS_KEY", "test-secret");
        Run noRegion = runWithout(List.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"), noAws, null,
                "deploy", "--cluster", "jitsi-cluster", "--service", "jitsi", "--revision", "12");
        assertThat(noRegion.code()).as(noRegion.err()).isEqualTo(2);
        assertThat(noRegion.err()).contains("No AWS region: set --region or AWS_REGION");

        Run unreachable = runWithout(List.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"), noAws, null, "--region", "eu-central-1", "--endpoint-url", "http://127.0.0.1:1",
                "wait", "--cluster", "jitsi-cluster", "--service", "jitsi");
        assertThat(unreachable.code()).as(unreachable.err()).isEqualTo(2);
        assertThat(unreachable.err()).contains("cannot reach ECS").contains("check --endpoint-url, --region and the network");
    }

    @Test
    void noCredentialsIsOneLineAndExitTwo() throws Exception {
        Map<String, String> env = Map.of("HOME", tmp.toString(), "AWS_CONFIG_FILE", tmp.resolve("none").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("none").toString(), "AWS_EC2_METADATA_DISABLED", "true",
                "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1");
        Run r = runWithout(List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"), env, null,
                "--json", "--region", "eu-central-1", "--endpoint-url", "http://127.0.0.1:1", "wait", "--cluster", "jitsi-cluster", "--service", "jitsi");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("error: No AWS credentials: set AWS_ACCESS_KEY_ID").doesNotContain("\n");
        assertThat(r.out()).startsWith("{\"error\":{\"kind\":\"no-credentials\"");
    }

    @Test
    void theSimulatorCommandServesTheSeedTopologyToOtherClients() throws Exception {
        Process sim = new ProcessBuilder("java", "-jar", System.getProperty("cli.jar"), "--json", "simulator")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8)).readLine();
            String endpoint = new com.fasterxml.jackson.databind.ObjectMapper().readTree(first).get("endpoint").asText();
            assertThat(endpoint).startsWith("http://127.0.0.1:");
            Run waited = run(Map.of("AWS_ACCESS_KEY_ID", "AKIDTEST", "AWS_SECRET_ACCESS_KEY", "test-secret"), null,
                    "--endpoint-url", endpoint, "--region", "eu-central-1", "wait", "--cluster", "jitsi-cluster", "--service", "jitsi");
            assertThat(waited.code()).as(waited.err()).isZero();
            assertThat(waited.out()).contains("Service jitsi is stable");
        } finally {
            sim.destroy();
        }
    }

    @Test
    void theLauncherRunsTheJarAndKeepsAClassDataArchiveForTheNextRuns() throws Exception {
        Path jar = Path.of(System.getProperty("cli.jar")).toAbsolutePath();
        Path launcher = jar.getParent().getParent().getParent().resolve("bin/events-jitsi");
        Path cache = tmp.resolve("cache");
        for (int i = 0; i < 2; i++) {
            ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--version");
            pb.environment().put("XDG_CACHE_HOME", cache.toString());
            pb.environment().put("EVENTS_JITSI_JAR", jar.toString());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out.strip()).isEqualTo("events-jitsi 0.1.0");
        }
        try (var archives = Files.list(cache.resolve("events-jitsi"))) {
            assertThat(archives.map(a -> a.getFileName().toString()).toList()).singleElement().asString().endsWith(".jsa");
        }
    }

    @Test
    void ctrlCDuringAWaitSaysWhatEcsIsDoingAndHowToResumeAndExits130() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode state = events.jitsi.simulator.EcsSimulator.defaultState();
        ((com.fasterxml.jackson.databind.node.ObjectNode) state.at("/clusters/1/services/0")).put("startSeconds", 600);
        try (events.jitsi.simulator.EcsSimulator sim = events.jitsi.simulator.EcsSimulator.start(java.time.Clock.systemUTC(), state)) {
            // As from a terminal: a build started in the background by a shell without job control inherits SIGINT
            // ignored, and the JVM then keeps ignoring it (coreutils' env restores the default).
            ProcessBuilder pb = new ProcessBuilder("env", "--default-signal=INT", "java", "-jar", System.getProperty("cli.jar"), "--endpoint-url", sim.endpoint().toString(),
                    "--region", sim.region(), "deploy", "--cluster", "jitsi-cluster", "--service", "jitsi", "--image", "web=jitsi/web:stable-10133",
                    "--wait");
            pb.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "AKIDTEST", "AWS_SECRET_ACCESS_KEY", "test-secret"));
            Path out = tmp.resolve("interrupted-out.txt");
            Path err = tmp.resolve("interrupted-err.txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            // Once the rollout is under way (its first task started), as an operator would press Ctrl-C.
            long until = System.currentTimeMillis() + 60_000;
            while (!Files.readString(out).contains("has started 1 tasks") && System.currentTimeMillis() < until) {
                Thread.sleep(200);
            }
            assertThat(Files.readString(out)).contains("has started 1 tasks");
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start();
            assertThat(kill.waitFor()).isZero();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String said = Files.readString(err);
            assertThat(p.exitValue()).as(said).isEqualTo(130);
            assertThat(said).contains("Interrupted: jitsi in jitsi-cluster: ECS is at deployment ecs-svc/")
                    .contains("IN_PROGRESS (jitsi-meet-task:13, 0/1 running)")
                    .contains("Resume the wait with: events-jitsi wait --cluster jitsi-cluster --service jitsi --deployment-id ecs-svc/")
                    .contains("ECS was left as it is.");
            assertThat(sim.model().taskDefinition("jitsi-meet-task:13").get("status").asText()).as("the deployed revision stays").isEqualTo("ACTIVE");
        }
    }
}
