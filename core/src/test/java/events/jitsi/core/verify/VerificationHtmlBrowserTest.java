package events.jitsi.core.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import events.jitsi.core.config.Environments;
import events.jitsi.core.ecs.SimulatedEcs;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The nightly build's HTML report as a person sees it: rendered from a real verification (the seed topology, whose
 * image drift fails), opened in headless Chromium (Debian's chromium, driven by playwright-core from npm; .ci/run
 * installs both and sets EVENTS_JITSI_NODE_PATH), with a screenshot left in target/. Nothing is skipped: without the
 * browser the test fails and says how to get it.
 */
class VerificationHtmlBrowserTest {
    @Test
    void theReportShowsTheEnvironmentsSideBySideWithTheFailingChecksHighlightedAndFetchesNothing() throws Exception {
        String nodePath = System.getenv("EVENTS_JITSI_NODE_PATH");
        if (nodePath == null || !Files.isDirectory(Path.of(nodePath, "playwright-core")) || !Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            fail("This test opens the report in headless Chromium: run it through `bash .ci/run`, which installs Debian's chromium "
                    + "and playwright-core (npm) and sets EVENTS_JITSI_NODE_PATH to its node_modules.");
        }
        Path report = Path.of("target", "verify-report.html").toAbsolutePath();
        Path screenshot = Path.of("target", "verify-report.png").toAbsolutePath();
        try (SimulatedEcs env = new SimulatedEcs()) {
            VerificationReport r = new Verify(e -> env.aws, HttpClient.newHttpClient(), Duration.ofSeconds(1))
                    .run(Environments.defaults(), List.of(), java.util.Set.of(Verify.Section.ECS));
            Files.createDirectories(report.getParent());
            Files.writeString(report, VerificationHtml.render(r, env.time.instant()));
        }
        Files.deleteIfExists(screenshot);
        ProcessBuilder pb = new ProcessBuilder("node", Path.of("src/test/browser/report-check.js").toAbsolutePath().toString(),
                report.toString(), screenshot.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("NODE_PATH", nodePath);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        JsonNode seen = new ObjectMapper().readTree(out);

        assertThat(seen.get("title").asText()).isEqualTo("Verification of staging, production");
        assertThat(seen.get("summary").asText()).startsWith("22 checks:").contains("2 failed");
        List<String> sections = new ArrayList<>();
        seen.get("sections").forEach(s -> sections.add(s.asText()));
        assertThat(sections).containsExactly("jitsi", "matrix", "Drift between environments", "Installation");
        assertThat(seen.get("columns").toString()).isEqualTo("[\"check\",\"staging\",\"production\"]");
        assertThat(seen.get("failed")).hasSize(2);
        assertThat(seen.get("failed").get(0).get("text").asText()).startsWith("FAILED").contains("web: staging jitsi/web:stable-10078");
        assertThat(seen.get("failed").get(0).get("background").asText()).isEqualTo("rgb(248, 208, 208)");
        assertThat(seen.get("failed").get(0).get("visible").asBoolean()).isTrue();
        assertThat(seen.get("scripts").asInt()).isZero();
        assertThat(seen.get("errors")).isEmpty();
        assertThat(seen.get("outside")).as("requests that left the file").isEmpty();
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }
}
