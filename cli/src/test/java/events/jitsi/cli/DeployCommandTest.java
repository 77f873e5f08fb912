package events.jitsi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DeployCommandTest {
    private final SimulatedCli cli = new SimulatedCli();

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void deployAndWaitPrintsOneJsonResult() throws Exception {
        int code = cli.run("--json", "deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi", "--revision", "4", "--wait");

        assertThat(code).isZero();
        JsonNode result = new ObjectMapper().readTree(cli.out);
        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.at("/deploy/taskDefinitionArn").asText()).endsWith("jitsi-meet-task-staging:4");
        assertThat(result.at("/deploy/previousTaskDefinitionArn").asText()).endsWith("jitsi-meet-task-staging:5");
        assertThat(result.at("/deploy/deploymentId").asText()).startsWith("ecs-svc/");
        assertThat(cli.err).contains("has reached a steady state");
    }

    @Test
    void imagesAreRepeatable() {
        int code = cli.run("deploy", "--cluster", "jitsi-cluster", "--service", "jitsi",
                "--image", "web=jitsi/web:stable-10078", "--image", "prosody=jitsi/prosody:stable-10078");
        assertThat(code).isZero();
        JsonNode td = cli.sim.model().taskDefinition(cli.sim.model().currentTaskDefinition("jitsi-cluster", "jitsi"));
        assertThat(td.at("/containerDefinitions/0/image").asText()).isEqualTo("jitsi/web:stable-10078");
        assertThat(td.at("/containerDefinitions/1/image").asText()).isEqualTo("jitsi/prosody:stable-10078");
        assertThat(td.at("/containerDefinitions/2/image").asText()).isEqualTo("jitsi/jicofo:stable-9955");
    }

    @Test
    void aFailedRolloutExitsOneAndRollsBack() {
        cli.sim.model().setCircuitBreaker("jitsi-cluster", "jitsi", true, false);
        int code = cli.run("deploy", "--cluster", "jitsi-cluster", "--service", "jitsi", "--image", "web=jitsi/web:broken",
                "--wait", "--rollback-on-failure");

        assertThat(code).isEqualTo(1);
        assertThat(cli.out).contains("CannotPullContainerError").contains("Rolling back service jitsi to jitsi-meet-task:12")
                .contains("FAILED and rolled back: jitsi runs jitsi-meet-task:12 again.");
        assertThat(cli.sim.model().currentTaskDefinition("jitsi-cluster", "jitsi")).endsWith("jitsi-meet-task:12");
    }

    @Test
    void aRefusalAfterAWriteIsExitOneNamingTheWrites() {
        // The rollback is refused (someone deregistered the revision to put back) after this run registered and deployed.
        cli.sim.model().setCircuitBreaker("jitsi-cluster", "jitsi", true, false);
        events.jitsi.core.aws.AwsServices colleague = new events.jitsi.core.aws.AwsServices(cli.sim.region(), cli.sim.endpoint(),
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDCOLLEAGUE", "colleague-secret")));
        cli.time.schedule(java.time.Duration.ofSeconds(20), () -> colleague.ecs().deregisterTaskDefinition(d -> d.taskDefinition("jitsi-meet-task:12")));
        int code = cli.run("--json", "deploy", "--cluster", "jitsi-cluster", "--service", "jitsi", "--image", "web=jitsi/web:broken",
                "--wait", "--rollback-on-failure");

        assertThat(code).isEqualTo(1);
        colleague.close();
        assertThat(cli.err).contains("failed: after ecs:RegisterTaskDefinition, ecs:UpdateService had been made: jitsi-meet-task:12 is INACTIVE");
        assertThat(cli.out).contains("\"exitCode\":1").contains("\"kind\":\"failed\"");
    }

    @Test
    void aNoOpExitsZeroAndWritesNothing() {
        assertThat(cli.run("deploy", "--cluster", "jitsi-cluster", "--service", "jitsi", "--revision", "12", "--wait")).isZero();
        assertThat(cli.out).contains("Nothing deployed: jitsi already runs jitsi-meet-task:12.");
        assertThat(cli.nothingWritten()).isTrue();
    }

    @Test
    void waitTimesOutWithExitOne() {
        cli.sim.model().setStartSeconds("jitsi-staging-cluster", "matrix", 7200);
        assertThat(cli.run("deploy", "--cluster", "jitsi-staging-cluster", "--service", "matrix", "--force-new-deployment")).isZero();
        int code = cli.run("wait", "--cluster", "jitsi-staging-cluster", "--service", "matrix", "--timeout", "5m");
        assertThat(code).isEqualTo(1);
        assertThat(cli.out).contains("did not finish in 5 min").contains("timed out after 5 min");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "deploy --cluster jitsi-cluster --service jitsi --revision 99",
            "deploy --cluster jitsi-cluster --service jitsi --image webb=jitsi/web:x",
            "deploy --cluster jitsi-cluster --service jitsi --revision 11 --image web=jitsi/web:x",
            "deploy --cluster jitsi-cluster --service nope --revision 11",
            "deploy --cluster nope --service jitsi --revision 11",
            "deploy --cluster jitsi-cluster --service jitsi --task-definition jitsi-meet-task",
            "deploy --cluster jitsi-cluster --service jitsi --revision 11 --rollback-on-failure",
            "deploy --cluster jitsi-cluster --service jitsi --revision 11 --wait --timeout soon",
            "deploy --cluster jitsi-cluster --service jitsi --revision 11 --wait --poll-initial 1m --poll-max 10s",
            "deploy --service jitsi --revision 11",
            "deploy --cluster jitsi-cluster --service jitsi --revision eleven",
            "undeploy --cluster jitsi-cluster"})
    void badInputExitsTwoAndChangesNothing(String args) {
        int code = cli.run(args.split(" "));
        assertThat(code).as(cli.err).isEqualTo(2);
        assertThat(cli.err).isNotBlank();
        assertThat(cli.nothingWritten()).isTrue();
        assertThat(cli.sim.model().currentTaskDefinition("jitsi-cluster", "jitsi")).endsWith("jitsi-meet-task:12");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "deploy --help", "wait --help", "promote --help", "verify --help", "watermark --help",
            "prosody register --help", "prosody unregister --help", "demo --help"})
    void everyCommandExplainsItself(String args) {
        assertThat(cli.run(args.split(" "))).isZero();
        assertThat(cli.out).startsWith("Usage: events-jitsi");
        assertThat(cli.nothingWritten()).isTrue();
    }

    @Test
    void pollingIntervalsAreConfigurable() {
        assertThat(cli.run("deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi", "--revision", "4")).isZero();
        cli.sim.resetCalls();
        assertThat(cli.run("wait", "--cluster", "jitsi-staging-cluster", "--service", "jitsi")).isZero();
        long withDefaults = cli.sim.callCount("DescribeServices");

        assertThat(cli.run("deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi", "--revision", "5")).isZero();
        cli.sim.resetCalls();
        assertThat(cli.run("wait", "--cluster", "jitsi-staging-cluster", "--service", "jitsi",
                "--poll-initial", "1s", "--poll-max", "1s", "--poll-fast", "1s")).isZero();
        assertThat(cli.sim.callCount("DescribeServices")).isGreaterThan(3 * withDefaults);
    }

    @Test
    void aTaskDefinitionOfAnotherFamilyExitsTwoAndSaysWhichFamilyTheServiceRuns() {
        int code = cli.run("deploy", "--cluster", "jitsi-cluster", "--service", "matrix", "--task-definition", "matrix-task-staging:3");
        assertThat(code).isEqualTo(2);
        assertThat(cli.err).contains("runs task-definition family matrix-task, not matrix-task-staging").contains("--allow-family-change");
        assertThat(cli.nothingWritten()).isTrue();
        assertThat(cli.run("deploy", "--cluster", "jitsi-cluster", "--service", "matrix", "--task-definition", "matrix-task-staging:3",
                "--allow-family-change")).isZero();
    }

    @Test
    void aDeployOverOneInProgressExitsTwoUnlessForcedAndADryRunWritesNothing() {
        assertThat(cli.run("deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi", "--revision", "4")).isZero();
        cli.sim.resetCalls();
        assertThat(cli.run("deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi", "--revision", "5")).isEqualTo(2);
        assertThat(cli.err).contains("is still rolling out deployment ecs-svc/");
        assertThat(cli.run("deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi", "--revision", "5", "--dry-run", "--force")).isZero();
        assertThat(cli.out).contains("Would point jitsi in jitsi-staging-cluster from jitsi-meet-task-staging:4 to jitsi-meet-task-staging:5");
        assertThat(cli.nothingWritten()).isTrue();
        assertThat(cli.run("deploy", "--cluster", "jitsi-staging-cluster", "--service", "jitsi", "--revision", "5", "--force")).isZero();
    }

    @Test
    void aServiceArnDeploysAndWaitsWithoutARollback() {
        int code = cli.run("deploy", "--cluster", "jitsi-cluster", "--service", "arn:aws:ecs:eu-central-1:123456789012:service/jitsi-cluster/jitsi",
                "--revision", "11", "--wait", "--rollback-on-failure");
        assertThat(code).as(cli.out + cli.err).isZero();
        assertThat(cli.sim.callCount("UpdateService")).isEqualTo(1);
        assertThat(cli.sim.model().currentTaskDefinition("jitsi-cluster", "jitsi")).endsWith("jitsi-meet-task:11");
    }

    @Test
    void askingForNothingIsAUsageError() {
        assertThat(cli.run("deploy", "--cluster", "jitsi-cluster", "--service", "jitsi")).isEqualTo(2);
        assertThat(cli.err).contains("Nothing to deploy");
        assertThat(cli.sim.calls()).isEmpty();
    }

    @Test
    void waitOnAWrongServiceOrClusterIsOneLineAndExitTwo() {
        assertThat(cli.run("wait", "--cluster", "jitsi-staging-cluster", "--service", "etherpad")).isEqualTo(2);
        assertThat(cli.err.strip()).isEqualTo("error: Service 'etherpad' does not exist in cluster jitsi-staging-cluster.");
        assertThat(cli.run("wait", "--cluster", "no-such-cluster", "--service", "jitsi")).isEqualTo(2);
        assertThat(cli.err).contains("Cluster 'no-such-cluster' does not exist");
    }

    @Test
    void theRegionComesFromTheOptionThenAwsRegionThenAwsDefaultRegion() {
        assertThat(Main.resolveRegion("eu-west-1", java.util.Map.of("AWS_REGION", "us-east-1"))).isEqualTo("eu-west-1");
        assertThat(Main.resolveRegion(null, java.util.Map.of("AWS_REGION", "us-east-1", "AWS_DEFAULT_REGION", "eu-north-1"))).isEqualTo("us-east-1");
        assertThat(Main.resolveRegion(null, java.util.Map.of("AWS_DEFAULT_REGION", "eu-north-1"))).isEqualTo("eu-north-1");
    }

    @Test
    void underJsonEveryErrorIsOneJsonObjectOnStdout() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(cli.run("--json", "deploy", "--cluster", "jitsi-cluster", "--service", "etherpad", "--revision", "1")).isEqualTo(2);
        com.fasterxml.jackson.databind.JsonNode error = json.readTree(cli.out).get("error");
        assertThat(error.get("kind").asText()).isEqualTo("bad-input");
        assertThat(error.get("message").asText()).isEqualTo("Service 'etherpad' does not exist in cluster jitsi-cluster.");
        assertThat(error.get("exitCode").asInt()).isEqualTo(2);

        assertThat(cli.run("--json", "deploy", "--service", "jitsi")).isEqualTo(2);
        assertThat(json.readTree(cli.out).get("error").get("kind").asText()).isEqualTo("usage");
        assertThat(cli.err).contains("Missing required option: '--cluster=<cluster>'");
    }
}
