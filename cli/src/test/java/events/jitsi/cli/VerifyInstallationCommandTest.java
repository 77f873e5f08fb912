package events.jitsi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import events.jitsi.testbed.MotoServer;
import events.jitsi.testbed.SeedInstallation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code verify --json} as an operator runs it, with --endpoint-url and --moto, against moto seeded with the seed installation. */
class VerifyInstallationCommandTest {
    private static MotoServer moto;
    private static SeedInstallation seed;

    @BeforeAll
    static void seed() throws Exception {
        moto = MotoServer.start();
        seed = new SeedInstallation(moto.endpoint()).seed();
        // The default credentials chain of the real CLI reads these system properties.
        System.setProperty("aws.accessKeyId", "AKIDCLI");
        System.setProperty("aws.secretAccessKey", "cli-test-secret");
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (seed != null) {
            seed.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private String out;
    private String err;

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        PrintStream outStream = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(e, true, StandardCharsets.UTF_8);
        System.setOut(outStream);
        System.setErr(errStream);
        try {
            List<String> all = new ArrayList<>(List.of("--endpoint-url", moto.endpoint().toString(), "--moto"));
            all.addAll(List.of(args));
            return Main.commandLine(new Main.AwsEnvironment(), outStream, errStream).execute(all.toArray(String[]::new));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void verifyJsonGivesEveryInstallationCheckWithTheNamedResourcesAndTheCallCounts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("environments.yaml");
        Files.writeString(file, seed.environmentsYaml());
        String staging = seed.environment("staging").loadBalancerDns();
        seed.cname("element." + SeedInstallation.ZONE, staging);
        try {
            assertThat(run("--json", "verify", "--config", file.toString(), "--only", "capacity,storage,loadBalancer,dns")).as(err).isEqualTo(1);
        } finally {
            seed.cname("element." + SeedInstallation.ZONE, seed.environment("production").loadBalancerDns());
        }
        JsonNode result = new ObjectMapper().readTree(out);
        List<String> failed = new ArrayList<>();
        int passed = 0;
        for (JsonNode c : result.get("checks")) {
            assertThat(c.fieldNames()).toIterable().contains("environment", "subject", "name", "status", "message");
            if (c.get("status").asText().equals("FAILED")) {
                failed.add(c.get("environment").asText() + " " + c.get("subject").asText() + " " + c.get("name").asText() + ": " + c.get("message").asText());
            } else if (c.get("status").asText().equals("PASSED")) {
                passed++;
            }
        }
        assertThat(failed).containsExactly("production dns record element.virtual.software.bz.it: element.virtual.software.bz.it is a CNAME to "
                + staging + ", the load balancer of staging; expected " + seed.environment("production").loadBalancerDns() + " (production's load balancer)");
        assertThat(passed).isGreaterThan(20);
        assertThat(result.get("awsCalls").get("production").asInt()).isPositive();
        assertThat(result.get("awsCalls").get("staging").asInt()).isPositive();
        assertThat(result.get("notes").toString()).contains("production map: ");
    }

    @Test
    void theHumanSummaryMapsTheInstallation(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("environments.yaml");
        Files.writeString(file, seed.environmentsYaml());
        assertThat(run("verify", "--config", file.toString(), "--only", "capacity,loadBalancer", "--environment", "production")).as(out + err).isZero();
        String primary = seed.environment("production").instancesByRole().get("primary");
        assertThat(out).contains("production map: " + primary + " (c5.xlarge, eu-central-1a, protected) -> jitsi -> meet -> meet.virtual.software.bz.it")
                .contains("production: not checked: storage, dns (not chosen: --only, or checks: in a Pipeline)")
                .containsPattern("AWS calls: production \\d+");
    }

    @Test
    void theWatermarkGoesThroughSsmToTheHostThatRunsTheWebTask(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path images = java.nio.file.Files.createDirectories(tmp.resolve("images"));
        java.nio.file.Files.writeString(images.resolve("watermark.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        java.nio.file.Path config = java.nio.file.Files.writeString(tmp.resolve("envs.yaml"), seed.environmentsYaml());
        String primary = seed.environment("staging").instancesByRole().get("primary");

        assertThat(run("watermark", "hide", "--environment", "staging", "--config", config.toString(), "--dir", images.toString())).as(() -> err).isZero();
        assertThat(out).contains("Hid the watermark on " + primary).contains("Status: hidden");
        assertThat(images.resolve("watermark.svg")).doesNotExist();
        assertThat(run("--json", "--region", "eu-central-1", "watermark", "hide", "--cluster", "jitsi-staging-cluster", "--dir", images.toString())).isZero();
        assertThat(out).contains("\"changed\":false");
        assertThat(run("--region", "eu-central-1", "watermark", "restore", "--cluster", "jitsi-staging-cluster", "--dir", tmp.resolve("none").toString())).isEqualTo(2);
        assertThat(err).contains("does not exist or is not a folder").contains(primary);
        assertThat(images.resolve("watermark.svg_ba")).exists();
        assertThat(run("watermark", "status", "--via", "local", "--cluster", "jitsi-staging-cluster")).isEqualTo(2);
        assertThat(err).contains("are for --via ssm");
    }
}
