package events.jitsi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PromoteAndVerifyCommandTest {
    private final SimulatedCli cli = new SimulatedCli();

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void aDryRunPrintsThePlanAndWritesNothing() {
        assertThat(cli.run("promote", "--service", "matrix", "--dry-run")).isZero();
        assertThat(cli.out).contains("synapse: matrixdotorg/synapse:v1.118.0 -> matrixdotorg/synapse:v1.120.0")
                .contains("--- production matrix-task:7").contains("Dry run: nothing was changed.");
        assertThat(cli.nothingWritten()).isTrue();
    }

    @Test
    void withoutYesItAsksAndAnythingButYesChangesNothing() {
        assertThat(cli.runWithInput("no\n", "promote", "--service", "jitsi")).isEqualTo(1);
        assertThat(cli.out).contains("Type yes to go on").contains("Not promoted: not confirmed");
        assertThat(cli.runWithInput("", "promote", "--service", "jitsi")).isEqualTo(1);
        assertThat(cli.nothingWritten()).isTrue();

        assertThat(cli.runWithInput("yes\n", "promote", "--service", "jitsi")).isZero();
        assertThat(cli.out).contains("Promoted jitsi to production: jitsi-meet-task:12 -> jitsi-meet-task:13");
    }

    @Test
    void theJsonResultRecordsRevisionsImagesAndOutcome() throws Exception {
        assertThat(cli.run("--json", "promote", "--service", "matrix", "--yes")).isZero();
        JsonNode r = new ObjectMapper().readTree(cli.out);
        assertThat(r.path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(r.path("sourceTaskDefinitionArn").asText()).endsWith("matrix-task-staging:3");
        assertThat(r.path("targetPreviousTaskDefinitionArn").asText()).endsWith("matrix-task:7");
        assertThat(r.path("targetNewTaskDefinitionArn").asText()).endsWith("matrix-task:8");
        assertThat(r.at("/images/0/container").asText()).isEqualTo("synapse");
        assertThat(r.at("/images/0/to").asText()).isEqualTo("matrixdotorg/synapse:v1.120.0");

        assertThat(cli.run("promote", "--service", "matrix", "--yes")).isZero();
        assertThat(cli.out).contains("Nothing to promote");
    }

    @Test
    void aFailedPromotionExitsOneAndProductionRunsItsPreviousRevision() {
        cli.sim.model().setCircuitBreaker("jitsi-cluster", "jitsi", true, true);
        assertThat(cli.run("deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi", "--image", "web=jitsi/web:broken")).isZero();
        // Promoted on purpose while staging still rolls the broken image out, to see production fail and roll back.
        assertThat(cli.run("promote", "--service", "jitsi", "--yes", "--skip-source-check")).isEqualTo(1);
        assertThat(cli.out).contains("FAILED and rolled back: jitsi in production runs jitsi-meet-task:12 again.");
        assertThat(cli.sim.model().currentTaskDefinition("jitsi-cluster", "jitsi")).endsWith("jitsi-meet-task:12");
    }

    @Test
    void badConfigurationAndNamesExitTwo(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("envs.yaml");
        Files.writeString(bad, "environments:\n  staging:\n    cluster: x\n");
        assertThat(cli.run("promote", "--service", "jitsi", "--config", bad.toString())).isEqualTo(2);
        assertThat(cli.err).contains(bad.toString()).contains("environments.staging.services: is missing");
        assertThat(cli.run("promote", "--service", "etherpad", "--yes")).isEqualTo(2);
        assertThat(cli.run("promote", "--service", "jitsi", "--to", "qa", "--yes")).isEqualTo(2);
        assertThat(cli.run("verify", "--environment", "qa")).isEqualTo(2);
        // A device, a duplicated key and an alias: one line each, exit 2, before any AWS call.
        int callsBefore = cli.sim.calls().size();
        assertThat(cli.run("verify", "--config", "/dev/zero")).isEqualTo(2);
        assertThat(cli.err).contains("/dev/zero is not a regular file").doesNotContain("Exception").hasLineCount(1);
        Path twice = dir.resolve("twice.yaml");
        Files.writeString(twice, "environments:\n  staging:\n    cluster: jitsi-staging-cluster\n    services: {jitsi: {service: jitsi}}\n"
                + "environments:\n  production:\n    cluster: jitsi-cluster\n    services: {jitsi: {service: jitsi}}\n");
        assertThat(cli.run("verify", "--config", twice.toString())).isEqualTo(2);
        assertThat(cli.err).contains("environments: is given twice, on lines 1 and 5");
        Path alias = dir.resolve("alias.yaml");
        Files.writeString(alias, "environments:\n  staging:\n    region: *r\n    cluster: jitsi-staging-cluster\n    services: {jitsi: {service: jitsi}}\n");
        assertThat(cli.run("verify", "--config", alias.toString())).isEqualTo(2);
        assertThat(cli.err).contains("the alias *r is not allowed");
        assertThat(cli.sim.calls()).hasSize(callsBefore);
        assertThat(cli.nothingWritten()).isTrue();
    }

    @Test
    void verifyWritesJUnitAndExitsOneOnDrift(@TempDir Path dir) throws Exception {
        Path junit = dir.resolve("out/verify.xml");
        // The simulator has services, not instances: the installation sections are tested against moto.
        assertThat(cli.run("verify", "--only", "ecs", "--junit", junit.toString())).isEqualTo(1);
        assertThat(cli.out).contains("FAIL staging-production/jitsi image-drift").contains("2 failed");
        assertThat(Files.readString(junit)).contains("<testsuite name=\"verify.staging\"").contains("<failure");

        assertThat(cli.run("verify", "--environment", "staging", "--only", "ecs")).isZero();
        assertThat(cli.out).doesNotContain("image-drift")
                .contains("staging: not checked: capacity, storage, loadBalancer, dns (not chosen: --only, or checks: in a Pipeline)");

        assertThat(cli.run("verify", "--only", "ecs,dsn")).isEqualTo(2);
        assertThat(cli.err).contains("Unknown verification section 'dsn'; choose from ecs,capacity,storage,loadBalancer,dns.");
        assertThat(cli.nothingWritten()).isTrue();
    }

    @Test
    void verifyExitsThreeWhenACheckCouldNotRunAndStillReportsTheRest(@TempDir Path dir) throws Exception {
        cli.sim.injectFault("DescribeServices", events.jitsi.simulator.EcsSimulator.Fault.ACCESS_DENIED, 1);
        Path junit = dir.resolve("verify.xml");
        int code = cli.run("verify", "--only", "ecs", "--junit", junit.toString());
        assertThat(code).isEqualTo(3);
        assertThat(cli.out).contains("ERROR staging/jitsi ecs-readable: cannot read jitsi in jitsi-staging-cluster")
                .contains("PASS production/jitsi service-active").contains("1 could not run");
        assertThat(java.nio.file.Files.readString(junit)).contains("<error message=");
    }

    @Test
    void anEnvironmentsOwnRegionWinsOverRegionWhichServesEnvironmentsWithoutOne(@TempDir Path dir) throws Exception {
        // Clients made per region, as on AWS: a request signed for another region does not see the simulator's clusters.
        java.util.List<events.jitsi.core.aws.AwsServices> made = new java.util.ArrayList<>();
        Main.Environment perRegion = new Main.Environment() {
            @Override
            public events.jitsi.core.aws.AwsServices aws(Main options, String region) {
                String r = Main.resolveRegion(region != null ? region : options.region, java.util.Map.of());
                events.jitsi.core.aws.AwsServices aws = new events.jitsi.core.aws.AwsServices(r, cli.sim.endpoint(),
                        software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDREGION", "region-secret")));
                made.add(aws);
                return aws;
            }

            @Override
            public events.jitsi.core.time.Scheduler scheduler() {
                return cli.time;
            }

            @Override
            public java.util.List<String> calls() {
                return made.stream().flatMap(a -> a.calls().actions().stream()).toList();
            }
        };
        // The file says eu-central-1 for both: --region eu-west-1 does not move them.
        int code = cli.runIn(perRegion, "", "--region", "eu-west-1", "verify", "--only", "ecs", "--environment", "staging");
        assertThat(cli.out).contains("PASS staging/jitsi service-active");
        assertThat(code).isZero();
        // Without a region in the file, --region decides.
        Path noRegion = dir.resolve("envs.yaml");
        Files.writeString(noRegion, "environments:\n  staging:\n    cluster: jitsi-staging-cluster\n    services:\n      jitsi: {service: jitsi}\n");
        code = cli.runIn(perRegion, "", "--region", "eu-west-1", "verify", "--config", noRegion.toString(), "--only", "ecs");
        assertThat(cli.out).contains("FAIL staging/jitsi service-active: cluster jitsi-staging-cluster does not exist in the default region");
        assertThat(code).isEqualTo(1);
        made.forEach(events.jitsi.core.aws.AwsServices::close);
    }

    @Test
    void reportPathsAreCheckedBeforeAnyAwsCallAndNeverWrittenThroughALink(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "keep me");
        Path link = dir.resolve("verify.xml");
        Files.createSymbolicLink(link, secret);
        Path config = dir.resolve("envs.yaml");
        Files.writeString(config, new String(getClass().getResourceAsStream("/events/jitsi/environments.yaml").readAllBytes()));
        Path aFile = Files.writeString(dir.resolve("a-file"), "x");
        String[][] refused = {
                {"--junit", link.toString(), "is a link"},
                {"--html", config.toString(), "is the environments file being read"},
                {"--html", aFile.resolve("report.html").toString(), "cannot create its folder"},
                {"--junit", dir.toString(), "is a folder"},
        };
        for (String[] r : refused) {
            assertThat(cli.run("--json", "verify", "--config", config.toString(), "--only", "ecs", r[0], r[1])).as(r[2]).isEqualTo(2);
            assertThat(cli.err).as(r[2]).startsWith("error: " + r[0]).contains(r[2]).doesNotContain("\tat ");
            assertThat(cli.out).as(r[2]).startsWith("{\"error\":{\"kind\":\"bad-input\"");
        }
        assertThat(cli.sim.calls()).as("no AWS call was made").isEmpty();
        assertThat(Files.readString(secret)).isEqualTo("keep me");
        // A folder that does not exist yet is made, for both reports.
        Path html = dir.resolve("missing/deeper/report.html");
        assertThat(cli.run("verify", "--only", "ecs", "--html", html.toString(), "--junit", dir.resolve("other/verify.xml").toString())).isEqualTo(1);
        assertThat(html).exists();
        assertThat(dir.resolve("other/verify.xml")).exists();
    }

    @Test
    void theSimulatorSaysWhatIsWrongWithItsStateOrPortInOneLine(@TempDir Path dir) throws Exception {
        Path notJson = Files.writeString(dir.resolve("state.json"), "{ \"clusters\": [ }");
        assertThat(cli.run("simulator", "--state", notJson.toString())).isEqualTo(2);
        assertThat(cli.err).startsWith("error: state " + notJson + " is not JSON").contains("line 1").doesNotContain("\tat ");
        com.fasterxml.jackson.databind.node.ObjectNode state = events.jitsi.simulator.EcsSimulator.defaultState();
        ((com.fasterxml.jackson.databind.node.ObjectNode) state.at("/clusters/0")).put("nmae", "x");
        Path misspelt = Files.writeString(dir.resolve("misspelt.json"), state.toString());
        assertThat(cli.run("simulator", "--state", misspelt.toString())).isEqualTo(2);
        assertThat(cli.err).startsWith("error: " + misspelt + ": state: clusters[0]: unknown key nmae; it takes instances, name, services");
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(cli.run("simulator", "--port", String.valueOf(busy.getLocalPort()))).isEqualTo(2);
            assertThat(cli.err).startsWith("error: cannot listen on loopback port " + busy.getLocalPort()).contains("choose another --port");
        }
        assertThat(cli.run("simulator", "--instances", "jitsi-cluster=lots")).isEqualTo(2);
        assertThat(cli.err).contains("--instances takes CLUSTER=COUNTxTYPE");
    }

    @Test
    void aSourceStillRollingOutIsNotPromotedUnlessTheCheckIsSkippedOnPurpose() {
        // A broken image deployed to staging without waiting: its images must not reach production.
        cli.sim.model().setCircuitBreaker("jitsi-staging-cluster", "jitsi", true, false);
        assertThat(cli.run("deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi", "--image", "web=jitsi/web:broken")).isZero();
        cli.sim.resetCalls();
        assertThat(cli.run("promote", "--service", "jitsi", "--yes")).isEqualTo(2);
        assertThat(cli.err).contains("Not promoted: staging's jitsi is not ready to promote from").contains("deployment-settled: not settled")
                .contains("--skip-source-check");
        assertThat(cli.nothingWritten()).isTrue();

        assertThat(cli.run("promote", "--service", "jitsi", "--dry-run", "--skip-source-check")).isZero();
        assertThat(cli.out).contains("Not checking staging's jitsi first (--skip-source-check)").contains("web=jitsi/web:broken".substring(4));
        assertThat(cli.nothingWritten()).isTrue();
    }

    @Test
    void watermarkCheckGivesOneVerdictPerFileAndExitsTwoWhenAnyIsRefused(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.svg");
        Files.writeString(good, "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" "
                + "inkscape:version=\"1.2\"><rect width=\"1\" height=\"1\" fill=\"#123456\"/></svg>");
        Path bad = dir.resolve("bad.svg");
        Files.writeString(bad, "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect style=\"fill: image-set('https://evil.example/p' 1x)\"/></svg>");
        Path folder = Files.createDirectory(dir.resolve("images"));

        Path deep = dir.resolve("deep.svg");
        Files.writeString(deep, "<svg xmlns=\"http://www.w3.org/2000/svg\">" + "<g>".repeat(32_768) + "</g>".repeat(32_768) + "</svg>");

        assertThat(cli.run("watermark", "check", good.toString())).isZero();
        assertThat(cli.out).contains("accepted after leaving out: inkscape:version (http://www.inkscape.org/namespaces/inkscape): " + good);
        assertThat(cli.run("--json", "watermark", "check", good.toString(), deep.toString(), bad.toString(), "--dir", folder.toString())).isEqualTo(2);
        com.fasterxml.jackson.databind.JsonNode files = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.out).get("files");
        assertThat(files).as("every file gets its verdict").hasSize(3);
        assertThat(files.get(0).get("accepted").asBoolean()).isTrue();
        assertThat(files.get(1).get("accepted").asBoolean()).isFalse();
        assertThat(files.get(1).get("reason").asText()).contains("elements nest more than 256 deep");
        assertThat(files.get(2).get("accepted").asBoolean()).isFalse();
        assertThat(files.get(2).get("reason").asText()).contains("the function image-set() is not allowed");
        assertThat(cli.err).doesNotContain("\tat ");
        try (var listing = Files.list(folder)) {
            assertThat(listing).as("check installs nothing").isEmpty();
        }
    }

    @Test
    void statusShowsWhatRunsWhereSideBySide() throws Exception {
        assertThat(cli.run("status")).isZero();
        assertThat(cli.out).containsPattern("jitsi\\s+staging\\s+production")
                .containsPattern("revision\\s+jitsi-meet-task-staging:5\\s+jitsi-meet-task:12")
                .containsPattern("web\\s+\\* jitsi/web:stable-10078\\s+\\* jitsi/web:stable-9955")
                .contains("COMPLETED 1/1");
        assertThat(cli.run("--json", "status", "--environment", "production")).isZero();
        JsonNode services = new ObjectMapper().readTree(cli.out).get("services");
        assertThat(services.get(0).get("environments").get("production").get("taskDefinition").asText()).isEqualTo("jitsi-meet-task:12");
        assertThat(cli.nothingWritten()).isTrue();
    }

    @Test
    void revisionsListsTheFamilyAndDeregistersOnlyWithYes() throws Exception {
        var current = cli.ecs.describeTaskDefinition(d -> d.taskDefinition("matrix-task:7")).taskDefinition();
        for (int i = 0; i < 3; i++) {
            cli.ecs.registerTaskDefinition(events.jitsi.core.ecs.TaskDefinitions.registrationOf(current, null, c -> c));
            cli.time.advance(java.time.Duration.ofDays(2));
        }
        assertThat(cli.run("revisions", "--family", "matrix-task")).isZero();
        assertThat(cli.out).containsPattern("matrix-task:10\\s").containsPattern("matrix-task:7 .*runs in production/matrix")
                .contains("synapse=matrixdotorg/synapse:v1.118.0");
        assertThat(cli.run("revisions", "--family", "matrix-task", "--keep", "1", "--deregister")).isZero();
        assertThat(cli.out).contains("Would deregister (give --yes to do it): matrix-task:9, matrix-task:8");
        assertThat(cli.sim.callCount("DeregisterTaskDefinition")).isZero();
        assertThat(cli.run("revisions", "--family", "matrix-task", "--keep", "1", "--deregister", "--yes")).isZero();
        assertThat(cli.out).contains("Deregistered: matrix-task:9, matrix-task:8");
        assertThat(cli.sim.model().taskDefinition("matrix-task:8").get("status").asText()).isEqualTo("INACTIVE");
    }

    @Test
    void verifyWritesTheHtmlReportForPeople(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("verify.html");
        assertThat(cli.run("verify", "--only", "ecs", "--html", html.toString())).isEqualTo(1);
        assertThat(cli.out).contains("HTML report: " + html);
        assertThat(Files.readString(html)).contains("<h1>Verification of staging, production</h1>").containsPattern("<td id=\"c-[0-9a-f]+\" class=\"failed\">")
                .doesNotContain("<script");
    }
}
