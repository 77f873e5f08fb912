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
            // Staging's jitsi is still rolling out at 7am, and production's jitsi cannot be read (no permission for one call).
            env.sim.model().setStartSeconds("jitsi-staging-cluster", "jitsi", 3600);
            new events.jitsi.core.ecs.DeployRevision(env.ecs, l -> { })
                    .deploy(events.jitsi.core.ecs.DeployRequest.ofRevision("jitsi-staging-cluster", "jitsi", 4));
            env.time.advance(Duration.ofSeconds(95));
            Environments config = Environments.defaults();
            VerificationReport r = new Verify(e -> {
                if (e.name().equals("production")) {
                    env.sim.injectFault("ListTaskDefinitions", events.jitsi.simulator.EcsSimulator.Fault.ACCESS_DENIED, 1);
                }
                return env.aws;
            }, HttpClient.newHttpClient(), Duration.ofSeconds(1)).run(config, List.of(), java.util.Set.of(Verify.Section.ECS));
            Files.createDirectories(report.getParent());
            Files.writeString(report, VerificationHtml.render(r, env.time.instant(), java.time.ZoneId.of("Europe/Rome")));
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
        // The summary: counts, and the time as ISO 8601 with its offset and zone.
        assertThat(seen.get("summary").asText()).matches("\\d+ checks: \\d+ passed, \\d+ failed, \\d+ skipped, 1 could not run\\. "
                + "Generated 2026-11-28T10:01:35\\+01:00 \\(Europe/Rome\\)\\.");
        // One line per environment, each failure linked to its row.
        List<String> lines = new ArrayList<>();
        seen.get("environments").forEach(l -> lines.add(l.asText()));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("staging: ").contains("failed").contains("jitsi deployment-settled: not settled since 2026-11-28T09:00:00Z");
        assertThat(lines.get(1)).startsWith("production: ").contains("could not run: jitsi ecs-readable")
                .contains("Ecs answered HTTP 400 AccessDeniedException");
        assertThat(lines.get(2)).startsWith("staging-production: ").contains("image-drift");
        assertThat(seen.get("links").size()).isEqualTo(seen.get("linkTargets").size()).isGreaterThanOrEqualTo(4);
        seen.get("linkTargets").forEach(t -> assertThat(t.isNull()).as("every link lands on a row").isFalse());
        assertThat(seen.get("afterClick").get("inView").asBoolean()).as("following a failure's link shows its row").isTrue();
        // Failures first: the service with problems leads; its failing rows come before those that pass.
        List<String> sections = new ArrayList<>();
        seen.get("sections").forEach(s -> sections.add(s.asText()));
        assertThat(sections).containsExactly("jitsi", "matrix", "Drift between environments", "Installation");
        List<String> rows = new ArrayList<>();
        seen.get("rows").forEach(x -> rows.add(x.asText()));
        assertThat(rows.subList(0, 4)).containsExactly("check", "deployment-settled", "newest-revision", "ecs-readable");
        // One url row per service, whatever URL each environment has.
        assertThat(rows.stream().filter(x -> x.startsWith("url"))).containsExactly("url", "url");
        assertThat(seen.get("columns").toString()).isEqualTo("[\"check\",\"staging\",\"production\"]");
        assertThat(seen.get("failed").get(0).get("text").asText()).startsWith("FAILED").contains("not settled since");
        assertThat(seen.get("failed").get(0).get("background").asText()).isEqualTo("rgb(248, 208, 208)");
        assertThat(seen.get("failed").get(0).get("visible").asBoolean()).isTrue();
        assertThat(seen.get("errorCells").get(0).asText()).startsWith("COULD NOT RUN");
        assertThat(seen.get("scripts").asInt()).isZero();
        assertThat(seen.get("errors")).isEmpty();
        assertThat(seen.get("outside")).as("requests that left the file").isEmpty();
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }
}
