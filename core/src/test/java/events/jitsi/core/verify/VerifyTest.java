package events.jitsi.core.verify;

import events.jitsi.core.aws.AwsServices;
import com.sun.net.httpserver.HttpServer;
import events.jitsi.core.config.Environments;
import events.jitsi.core.ecs.DeployRequest;
import events.jitsi.core.ecs.DeployRevision;
import events.jitsi.core.ecs.Promote;
import events.jitsi.core.ecs.PromotionRequest;
import events.jitsi.core.ecs.ServiceRef;
import events.jitsi.core.ecs.WaitForStable;
import events.jitsi.core.time.VirtualTime;
import events.jitsi.simulator.EcsSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;

import javax.xml.parsers.DocumentBuilderFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifyTest {
    private final VirtualTime time = new VirtualTime(Instant.parse("2026-11-28T09:00:00Z"));
    private final EcsSimulator sim = EcsSimulator.startDefault(time);
    private final AwsServices aws = new AwsServices(sim.region(), sim.endpoint(),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")));
    private final EcsClient ecs = aws.ecs();
    private final HttpServer web = startWeb();
    private final Verify verify = new Verify(env -> aws, HttpClient.newHttpClient(), Duration.ofMillis(500));

    private static HttpServer startWeb() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.createContext("/ok", x -> { x.sendResponseHeaders(200, -1); x.close(); });
            s.createContext("/down", x -> { x.sendResponseHeaders(503, -1); x.close(); });
            // Basic authentication of ops / s3cr3t:pw (a colon in the password too).
            s.createContext("/private", x -> {
                String expected = "Basic " + java.util.Base64.getEncoder().encodeToString("ops:s3cr3t:pw".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                x.sendResponseHeaders(expected.equals(x.getRequestHeaders().getFirst("Authorization")) ? 200 : 401, -1);
                x.close();
            });
            s.createContext("/slow", x -> {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                x.sendResponseHeaders(200, -1);
                x.close();
            });
            s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            s.start();
            return s;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        web.stop(0);
        aws.close();
        sim.close();
    }

    private Environments config(String stagingJitsiUrl) {
        String base = "http://127.0.0.1:" + web.getAddress().getPort();
        return Environments.parse("test.yaml", """
                environments:
                  staging:
                    region: eu-central-1
                    cluster: jitsi-staging-cluster
                    efsFileSystemId: fs-bce67e88
                    services:
                      jitsi: {service: jitsi, urls: [%s]}
                      matrix: {service: matrix, urls: [https://matrix-staging.example.org/]}
                  production:
                    region: eu-central-1
                    cluster: jitsi-cluster
                    efsFileSystemId: fs-b61d8482
                    services:
                      jitsi: {service: jitsi, urls: [%s/ok]}
                      matrix: {service: matrix}
                """.formatted(stagingJitsiUrl.replace("BASE", base), base));
    }

    private Optional<Check> check(VerificationReport r, String environment, String subject, String name) {
        return r.checks().stream().filter(c -> c.environment().equals(environment) && c.subject().equals(subject) && c.name().startsWith(name)).findFirst();
    }

    @Test
    void theSeedTopologyPassesEverythingButTheDriftItHas() {
        VerificationReport r = verify.run(config("BASE/ok"), List.of());

        assertThat(r.checks()).filteredOn(c -> !c.name().startsWith("image-drift")).allMatch(c -> c.status() != Check.Status.FAILED);
        assertThat(check(r, "staging", "jitsi", "url").orElseThrow().message()).matches("HTTP 200 in \\d+ ms");
        assertThat(check(r, "staging", "matrix", "url").orElseThrow().status()).isEqualTo(Check.Status.SKIPPED);
        assertThat(check(r, "production", "jitsi", "efs-file-system").orElseThrow().message()).contains("mount fs-b61d8482");
        Check drift = check(r, "staging-production", "jitsi", "image-drift").orElseThrow();
        assertThat(drift.status()).isEqualTo(Check.Status.FAILED);
        assertThat(drift.message()).contains("web: staging jitsi/web:stable-10078, production jitsi/web:stable-9955");
        assertThat(r.passed()).isFalse();
    }

    @Test
    void afterAPromotionThereIsNoDrift() {
        Promote promote = new Promote(ecs, ecs, new WaitForStable(ecs, time), time, l -> { });
        for (String service : List.of("jitsi", "matrix")) {
            promote.execute(promote.plan(new PromotionRequest("staging", new ServiceRef("jitsi-staging-cluster", service), "production",
                    new ServiceRef("jitsi-cluster", service), null)), null);
        }
        VerificationReport r = verify.run(config("BASE/ok"), List.of());
        assertThat(r.failures()).isEmpty();
        assertThat(r.passed()).isTrue();
    }

    @Test
    void eachServiceCheckFailsWithItsReason() {
        // An unsettled rollout, an older revision than the newest, a wrong EFS, a down URL.
        sim.model().setStartSeconds("jitsi-staging-cluster", "jitsi", 3600);
        new DeployRevision(ecs, l -> { }).deploy(DeployRequest.ofRevision("jitsi-staging-cluster", "jitsi", 4));
        time.advance(Duration.ofSeconds(30));
        new DeployRevision(ecs, l -> { }).deploy(DeployRequest.ofTaskDefinition("jitsi-cluster", "matrix", "matrix-task-staging:3").allowingFamilyChange(true));
        VerificationReport r = verify.run(config("BASE/down"), List.of());

        assertThat(check(r, "staging", "jitsi", "deployment-settled").orElseThrow().message())
                .matches("not settled since 2026-11-28T09:00:\\d\\dZ: PRIMARY ecs-svc/\\d+ IN_PROGRESS .*; ECS deployment ecs-svc/\\d+ in progress"
                        + "; last event 2026-11-28T09:\\d\\d:\\d\\dZ: \\(service jitsi\\) .*");
        assertThat(check(r, "staging", "jitsi", "newest-revision").orElseThrow().message())
                .isEqualTo("runs jitsi-meet-task-staging:4 but jitsi-meet-task-staging:5 is a newer ACTIVE revision: deploy it, or, if it "
                        + "was never deployed, remove it with `events-jitsi revisions --family jitsi-meet-task-staging --deregister "
                        + "--include-undeployed --yes`");
        assertThat(check(r, "production", "matrix", "efs-file-system").orElseThrow().message())
                .contains("volume synapse-data mounts fs-bce67e88").contains("instead of fs-b61d8482 (production's file system)");
        assertThat(check(r, "staging", "jitsi", "url").orElseThrow().message()).startsWith("answered HTTP 503");
    }

    @Test
    void aUrlsUserAndPasswordAreSentAsBasicAuthenticationAndShownNowhere(@TempDir Path dir) throws Exception {
        Environments config = Environments.parse("t.yaml", """
                environments:
                  staging:
                    region: eu-central-1
                    cluster: jitsi-staging-cluster
                    services:
                      jitsi: {service: jitsi, urls: ["http://ops:s3cr3t:pw@127.0.0.1:%1$d/private", "http://ops:wrong@127.0.0.1:%1$d/private"]}
                """.formatted(web.getAddress().getPort()));
        VerificationReport r = verify.run(config, List.of("staging"));

        List<Check> urls = r.checks().stream().filter(c -> c.name().startsWith("url ")).toList();
        assertThat(urls).extracting(Check::name).containsExactly("url http://***@127.0.0.1:" + web.getAddress().getPort() + "/private",
                "url http://***@127.0.0.1:" + web.getAddress().getPort() + "/private");
        assertThat(urls).extracting(Check::message).satisfiesExactly(m -> assertThat(m).startsWith("HTTP 200"),
                m -> assertThat(m).startsWith("answered HTTP 401"));
        r.writeJUnit(dir.resolve("verify.xml"));
        String everything = r.summary() + r.checks() + Files.readString(dir.resolve("verify.xml"))
                + VerificationHtml.render(r, java.time.Instant.parse("2026-11-29T05:00:00Z"));
        assertThat(everything).doesNotContain("s3cr3t").doesNotContain("wrong").doesNotContain("ops:");
    }

    @Test
    void aRefusedUrlIsQuotedWithoutItsPassword() {
        assertThatThrownBy(() -> Environments.parse("t.yaml", """
                environments:
                  staging:
                    cluster: jitsi-staging-cluster
                    services:
                      jitsi: {service: jitsi, urls: ["ftp://ops:s3cr3t@files.example.org/"]}
                """)).isInstanceOf(events.jitsi.core.InvalidInputException.class)
                .hasMessageContaining("'ftp://***@files.example.org/' is not an http(s) URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    }

    @Test
    void aSlowUrlFailsWithinTheTimeoutAndAMissingServiceIsAFailedCheck() {
        Environments config = Environments.parse("t.yaml", """
                environments:
                  staging:
                    region: eu-central-1
                    cluster: jitsi-staging-cluster
                    services:
                      jitsi: {service: jitsi, urls: [http://127.0.0.1:%d/slow]}
                      etherpad: {service: etherpad}
                """.formatted(web.getAddress().getPort()));
        VerificationReport r = verify.run(config, List.of("staging"));
        assertThat(check(r, "staging", "jitsi", "url").orElseThrow().message()).isEqualTo("no answer within 500 ms");
        assertThat(check(r, "staging", "etherpad", "service-active").orElseThrow().message())
                .isEqualTo("service etherpad does not exist in cluster jitsi-staging-cluster");
    }

    @Test
    void theJUnitFileHasASuiteperEnvironmentAndACasePerCheck(@TempDir Path dir) throws Exception {
        VerificationReport r = verify.run(config("BASE/down"), List.of());
        Path file = dir.resolve("reports/verify.xml");
        r.writeJUnit(file);

        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(file.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("testsuites");
        NodeList suites = doc.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(3);
        int cases = 0;
        int failures = 0;
        for (int i = 0; i < suites.getLength(); i++) {
            Element suite = (Element) suites.item(i);
            NodeList cs = suite.getElementsByTagName("testcase");
            assertThat(Integer.parseInt(suite.getAttribute("tests"))).isEqualTo(cs.getLength());
            cases += cs.getLength();
            failures += Integer.parseInt(suite.getAttribute("failures"));
        }
        assertThat(cases).isEqualTo(r.checks().size());
        assertThat(failures).isEqualTo(r.failures().size()).isEqualTo(doc.getElementsByTagName("failure").getLength());
        Element urlFailure = (Element) doc.getElementsByTagName("failure").item(0);
        assertThat(urlFailure.getAttribute("message")).isNotBlank();
        assertThat(doc.getElementsByTagName("skipped").getLength()).isEqualTo(1);
        assertThat(r.summary()).contains("FAIL staging/jitsi url").contains("checks:");
    }

    @Test
    void aServiceWithoutEfsVolumesIsNotApplicableNotAFailure() {
        var matrix = ecs.describeTaskDefinition(d -> d.taskDefinition("matrix-task-staging:3")).taskDefinition();
        String withoutEfs = ecs.registerTaskDefinition(events.jitsi.core.ecs.TaskDefinitions.registrationOf(
                matrix.toBuilder().volumes(List.of()).build(), null,
                c -> c.toBuilder().mountPoints(List.of()).build())).taskDefinition().taskDefinitionArn();
        new WaitForStable(ecs, time).await(new events.jitsi.core.ecs.WaitRequest("jitsi-staging-cluster", "matrix",
                new DeployRevision(ecs, l -> { }).deploy(DeployRequest.ofTaskDefinition("jitsi-staging-cluster", "matrix", withoutEfs)).deploymentId(),
                null), l -> { });

        Check efs = check(verify.run(config("BASE/ok"), List.of("staging")), "staging", "matrix", "efs-file-system").orElseThrow();
        assertThat(efs.status()).isEqualTo(Check.Status.SKIPPED);
        assertThat(efs.message()).isEqualTo("not applicable: matrix-task-staging:4 mounts no EFS volume");
    }

    @Test
    void anEcsErrorInOneEnvironmentDoesNotStopTheOthers() {
        // The first ECS call of staging is refused for want of a permission; production is still checked.
        sim.injectFault("DescribeServices", events.jitsi.simulator.EcsSimulator.Fault.ACCESS_DENIED, 1);
        VerificationReport r = verify.run(Environments.defaults(), List.of(), java.util.EnumSet.of(Verify.Section.ECS));
        Check refused = check(r, "staging", "jitsi", "ecs-readable").orElseThrow();
        assertThat(refused.status()).isEqualTo(Check.Status.ERROR);
        assertThat(refused.message()).startsWith("cannot read jitsi in jitsi-staging-cluster: Ecs answered HTTP 400 AccessDeniedException");
        assertThat(check(r, "staging", "matrix", "service-active").orElseThrow().status()).isEqualTo(Check.Status.PASSED);
        assertThat(check(r, "production", "jitsi", "service-active").orElseThrow().status()).isEqualTo(Check.Status.PASSED);
        assertThat(r.junitXml()).contains("<error message=\"cannot read jitsi in jitsi-staging-cluster");
        assertThat(r.summary()).contains("ERROR staging/jitsi ecs-readable").contains(", 1 could not run");
    }

    @Test
    void aSectionTheEndpointCannotAnswerIsSkippedSayingWhyAndTheEcsChecksStillRun() {
        // The simulator answers ECS only: the capacity section's EC2 call reaches an endpoint that does not speak EC2.
        VerificationReport r = verify.run(Environments.defaults(), List.of("staging"), java.util.EnumSet.of(Verify.Section.ECS, Verify.Section.CAPACITY));
        Check unreadable = check(r, "staging", "cluster", "instances-readable").orElseThrow();
        assertThat(unreadable.status()).isEqualTo(Check.Status.SKIPPED);
        assertThat(unreadable.message()).startsWith("not checked: the endpoint does not answer Ec2 (HTTP 501")
                .contains("moto");
        assertThat(check(r, "staging", "jitsi", "service-active").orElseThrow().status()).isEqualTo(Check.Status.PASSED);
        assertThat(r.notes()).containsExactly("staging: not checked: storage, loadBalancer, dns (not chosen: --only, or checks: in a Pipeline)");
    }

    @Test
    void aSectionWhoseCallsFailIsOneCheckThatCouldNotRunSayingWhy() {
        // ECS keeps answering ListContainerInstances with a server error, past the SDK's retries.
        sim.injectFault("ListContainerInstances", events.jitsi.simulator.EcsSimulator.Fault.SERVER_ERROR, 20);
        VerificationReport r = verify.run(Environments.defaults(), List.of("staging"), java.util.EnumSet.of(Verify.Section.CAPACITY));
        Check unreadable = check(r, "staging", "cluster", "instances-readable").orElseThrow();
        assertThat(unreadable.status()).isEqualTo(Check.Status.ERROR);
        assertThat(r.passed()).isFalse();
        assertThat(r.errors()).containsExactly(unreadable);
        assertThat(unreadable.message()).startsWith("cannot read the instances of staging: Ecs answered HTTP 500 ServerException:");
    }
}
