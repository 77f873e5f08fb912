package events.jitsi.core.pipeline;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;
import events.jitsi.core.ecs.SimulatedEcs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineStepsTest {
    private final SimulatedEcs env = new SimulatedEcs();
    private final PipelineSteps steps = new PipelineSteps(access -> env.aws, env.time, env.logger);

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void unknownArgumentNamesAreRefusedWithTheNamesTheStepTakes() {
        assertThatThrownBy(() -> steps.ecsDeployRevision(Map.of("cluster", "jitsi-cluster", "service", "jitsi", "revison", 11)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ecsDeployRevision does not take 'revison'; it takes: allowFamilyChange, cluster, copyEnvironment, credentialsId");
        assertThatThrownBy(() -> steps.waitForServiceStable(Map.of("cluster", "c", "service", "s", "timeoutMinutes", 3)))
                .hasMessageContaining("waitForServiceStable does not take 'timeoutMinutes'");
        assertThatThrownBy(() -> steps.ecsDeployRevision(Map.of("cluster", "jitsi-cluster", "service", "jitsi",
                "imagesFrom", Map.of("cluster", "jitsi-staging-cluster", "service", "jitsi"))))
                .hasMessageContaining("ecsDeployRevision does not take 'imagesFrom'");
        assertThat(env.nothingWritten()).isTrue();
    }

    @Test
    void refusalsInsideAPipelineNameThePipelineArgument() {
        assertThatThrownBy(() -> steps.ecsDeployRevision(Map.of("cluster", "no-such-cluster", "service", "jitsi", "revision", 11)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Cluster 'no-such-cluster' does not exist").hasMessageContaining("region: in a Pipeline");
        assertThatThrownBy(() -> steps.ecsDeployRevision(Map.of("cluster", "jitsi-cluster", "service", "jitsi",
                "taskDefinition", "jitsi-meet-task-staging:5")))
                .hasMessageContaining("allowFamilyChange: true in a Pipeline");
        assertThat(env.nothingWritten()).isTrue();
    }

    @Test
    void deployResultsArePlainSerializableValues() throws Exception {
        Map<String, Object> r = steps.ecsDeployRevision(Map.of("cluster", "jitsi-cluster", "service", "jitsi", "revision", "11"));
        assertThat(r).containsEntry("changed", true).containsKeys("taskDefinitionArn", "previousTaskDefinitionArn", "deploymentId");
        new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(r);
        Map<String, Object> waited = steps.waitForServiceStable(Map.of("cluster", "jitsi-cluster", "service", "jitsi",
                "deploymentId", r.get("deploymentId"), "timeout", 10));
        assertThat(waited).containsEntry("outcome", "SUCCEEDED");
    }

    @Test
    void aDryRunPromotionReturnsTheDiffAndWritesNothing() {
        Map<String, Object> plan = steps.ecsDeployRevision(Map.of("cluster", "jitsi-cluster", "service", "matrix",
                "imagesFromCluster", "jitsi-staging-cluster", "imagesFromService", "matrix", "dryRun", true));
        assertThat(plan).containsEntry("changed", true).containsEntry("outcome", "DRY_RUN");
        assertThat((String) plan.get("diff")).contains("matrixdotorg/synapse:v1.120.0");
        assertThat(env.nothingWritten()).isTrue();
    }

    @Test
    void aFailedWaitWithRollbackPutsThePreviousRevisionBackAndFailsTheStep() {
        env.sim.model().setCircuitBreaker("jitsi-cluster", "jitsi", true, false);
        Map<String, Object> d = steps.ecsDeployRevision(Map.of("cluster", "jitsi-cluster", "service", "jitsi",
                "images", List.of("web=jitsi/web:broken")));
        assertThatThrownBy(() -> steps.waitForServiceStable(Map.of("cluster", "jitsi-cluster", "service", "jitsi",
                "deploymentId", d.get("deploymentId"), "rollbackOnFailure", true, "rollbackTo", d.get("previousTaskDefinitionArn"),
                "deregisterFailedRevision", d.get("registeredRevision"))))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("CannotPullContainerError").hasMessageContaining("Rolled back: the service runs jitsi-meet-task:12 again.");
        assertThat(env.sim.model().currentTaskDefinition("jitsi-cluster", "jitsi")).endsWith("jitsi-meet-task:12");
        assertThat(env.sim.model().taskDefinition("jitsi-meet-task:13").get("status").asText()).isEqualTo("INACTIVE");
    }

    @Test
    void rollbackOnFailureNeedsRollbackTo() {
        assertThatThrownBy(() -> steps.waitForServiceStable(Map.of("cluster", "jitsi-cluster", "service", "jitsi", "rollbackOnFailure", true)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("rollbackOnFailure needs rollbackTo");
    }

    @Test
    void prosodyRegisterNeedsExactlyOnePlaceToRunAndTakesNoPasswordArgument(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertThatThrownBy(() -> PipelineSteps.prosodyRegister(Map.of("credentialsId", "moderator"), "moderator", "pw".toCharArray(), "docker", env.logger))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("exactly one of container, cluster and local");
        assertThatThrownBy(() -> PipelineSteps.prosodyRegister(Map.of("credentialsId", "moderator", "password", "pw", "local", true),
                "moderator", "pw".toCharArray(), "docker", env.logger))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("prosodyRegister does not take 'password'");
    }

    @Test
    void watermarkStatusAndArgumentChecks(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Map<String, Object> status = PipelineSteps.jitsiWatermark(Map.of("action", "status", "dir", dir.toString()), dir, env.logger);
        assertThat(status).containsEntry("state", "MISSING").containsEntry("changed", false);
        assertThatThrownBy(() -> PipelineSteps.jitsiWatermark(Map.of("action", "replace", "dir", dir.toString()), dir, env.logger))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'file' goes with action: 'replace'");
        assertThatThrownBy(() -> PipelineSteps.jitsiWatermark(Map.of("action", "rename", "dir", dir.toString()), dir, env.logger))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not 'rename'");
    }

    @Test
    void theWayOfEachHostStepIsChosenFromItsArgumentsAndTheOtherWaysArgumentsAreRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertThat(WatermarkArguments.of(Map.of("action", "hide", "cluster", "c", "service", "s")).via()).isEqualTo("ssm");
        assertThat(WatermarkArguments.of(Map.of("action", "hide", "dir", "/x")).via()).isEqualTo("local");
        assertThatThrownBy(() -> WatermarkArguments.of(Map.of("via", "scp"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("give 'ssm'");
        assertThatThrownBy(() -> PipelineSteps.jitsiWatermark(Map.of("action", "hide", "via", "local", "cluster", "c"), dir, env.logger))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cluster is for via: 'ssm'");
        assertThat(ProsodyArguments.of(Map.of("endpoint", "wss://meet.example.org/xmpp-websocket")).via()).isEqualTo("xmpp");
        assertThat(ProsodyArguments.of(Map.of("cluster", "c")).via()).isEqualTo("docker");
        assertThatThrownBy(() -> PipelineSteps.prosodyRegister(Map.of("endpoint", "wss://meet.example.org/xmpp-websocket", "cluster", "c"),
                "u", "pw pw".toCharArray(), "docker", env.logger)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("cluster is for via: 'docker'");
        assertThatThrownBy(() -> PipelineSteps.prosodyRegister(Map.of("endpoint", "wss://meet.example.org/xmpp-websocket"),
                "u", "pw pw".toCharArray(), "docker", env.logger)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("needs adminCredentialsId");
        assertThatThrownBy(() -> PipelineSteps.prosodyRegister(Map.of("via", "docker", "local", true, "endpoint", "wss://x.example.org/"),
                "u", "pw pw".toCharArray(), "docker", env.logger)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("endpoint and adminCredentialsId are for via: 'xmpp'");
    }

    @Test
    void theWatermarkFileStaysInsideTheWorkspace(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path workspace = java.nio.file.Files.createDirectories(tmp.resolve("workspace"));
        java.nio.file.Path images = java.nio.file.Files.createDirectories(tmp.resolve("images"));
        java.nio.file.Path outside = tmp.resolve("outside.svg");
        java.nio.file.Files.writeString(outside, "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>");
        java.nio.file.Files.createSymbolicLink(workspace.resolve("link.svg"), outside);
        for (String action : List.of("check", "replace")) {
            for (String file : List.of("../outside.svg", outside.toString(), "branding/../../outside.svg")) {
                assertThatThrownBy(() -> PipelineSteps.jitsiWatermark(Map.of("action", action, "file", file, "dir", images.toString()),
                        workspace, env.logger))
                        .as(action + " " + file).isInstanceOf(InvalidInputException.class)
                        .hasMessageContaining("'file' must be a file name inside the workspace");
            }
            assertThatThrownBy(() -> PipelineSteps.jitsiWatermark(Map.of("action", action, "file", "link.svg", "dir", images.toString()),
                    workspace, env.logger))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("leads out of the workspace");
        }
        try (var left = java.nio.file.Files.list(images)) {
            assertThat(left).as("nothing installed").isEmpty();
        }
    }

    @Test
    void imagesAreContainerEqualsImageStringsCheckedBeforeAnythingIsWritten() {
        Map<String, Object> d = steps.ecsDeployRevision(Map.of("cluster", "jitsi-staging-cluster", "service", "jitsi",
                "images", List.of("web=jitsi/web:stable-10133")));
        assertThat(d).containsEntry("registeredRevision", true);
        assertThat(env.sim.model().taskDefinition((String) d.get("taskDefinitionArn")).toString()).contains("jitsi/web:stable-10133");
        env.sim.resetCalls();
        for (Object bad : List.of(List.of("web"), List.of("=jitsi/web:x"), List.of("web="), List.of("web=jitsi/web x"),
                List.of("we b=jitsi/web:x"), List.of("web=a", "web=b"), Map.of("web", "jitsi/web:x"))) {
            assertThatThrownBy(() -> steps.ecsDeployRevision(Map.of("cluster", "jitsi-staging-cluster", "service", "jitsi", "images", bad)))
                    .as("images: %s", bad)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("ecsDeployRevision: 'images'");
        }
        assertThat(env.sim.calls()).isEmpty();
    }

    @Test
    void aPromotionNeedsBothImagesFromClusterAndService() {
        assertThatThrownBy(() -> steps.ecsDeployRevision(Map.of("cluster", "jitsi-cluster", "service", "matrix",
                "imagesFromCluster", "jitsi-staging-cluster")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ecsDeployRevision needs 'imagesFromService'");
        assertThatThrownBy(() -> steps.ecsDeployRevision(Map.of("cluster", "jitsi-cluster", "service", "matrix",
                "imagesFromCluster", "jitsi-staging-cluster", "imagesFromService", "matrix", "revision", 3)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("do not also give revision");
        assertThat(env.nothingWritten()).isTrue();
    }

    /** A report writer that only records: the names prepared and the reports written. */
    private static PipelineSteps.ReportWriter recording(List<String> written) {
        return new PipelineSteps.ReportWriter() {
            @Override
            public void prepare(String relativeName, String argument) {
            }

            @Override
            public void write(String relativeName, String text) {
                written.add(relativeName + "\n" + text);
            }
        };
    }

    @Test
    void reportPathsAreCheckedBeforeAnyAwsCall(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path workspace = java.nio.file.Files.createDirectories(tmp.resolve("workspace"));
        java.nio.file.Path secret = java.nio.file.Files.writeString(tmp.resolve("secret.txt"), "keep me");
        java.nio.file.Files.createSymbolicLink(workspace.resolve("verify.xml"), secret);
        java.nio.file.Files.createSymbolicLink(workspace.resolve("out"), tmp);
        java.nio.file.Files.createDirectories(workspace.resolve("folder.html"));
        PipelineSteps.ReportWriter reports = PipelineSteps.reportsIn(workspace);
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("junit", "verify.xml"), Map.of("html", "out/report.html"),
                Map.of("html", "folder.html"), Map.of("junit", "same.xml", "html", "same.xml"))) {
            assertThatThrownBy(() -> steps.verifyEnvironments(bad, reports)).as(bad.toString()).isInstanceOf(InvalidInputException.class);
        }
        assertThat(env.sim.calls()).as("nothing was asked of AWS").isEmpty();
        assertThat(java.nio.file.Files.readString(secret)).isEqualTo("keep me");
        steps.verifyEnvironments(Map.of("junit", "deep/er/verify.xml", "html", "deep/report.html", "only", "staging", "checks", List.of("ecs")), reports);
        assertThat(workspace.resolve("deep/er/verify.xml")).content().startsWith("<?xml");
        assertThat(workspace.resolve("deep/report.html")).content().contains("<h1>Verification of staging</h1>");
    }

    @Test
    void theJUnitReportNameMustStayInsideTheWorkspace() {
        List<String> written = new java.util.ArrayList<>();
        PipelineSteps.ReportWriter reports = recording(written);
        for (String bad : List.of("/etc/cron.d/x.xml", "../verify.xml", "reports/../../verify.xml", "C:/x.xml", "reports\\verify.xml", "a/..")) {
            assertThatThrownBy(() -> steps.verifyEnvironments(Map.of("junit", bad), reports))
                    .as(bad).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'junit' must be a file name inside the workspace");
        }
        assertThat(written).isEmpty();
        assertThat(env.sim.calls()).isEmpty();
        Map<String, Object> r = steps.verifyEnvironments(Map.of("junit", "reports/verify.xml", "only", "staging"), recording(written));
        assertThat(r).containsKey("passed");
        assertThat(written).singleElement().asString().startsWith("reports/verify.xml\n<?xml").contains("<testsuite name=\"verify.staging\"");
    }

    @Test
    void aPipelineChangesFamilyOrReplacesARolloutOnlyWhenItSaysSo() {
        assertThatThrownBy(() -> steps.ecsDeployRevision(Map.of("cluster", "jitsi-cluster", "service", "matrix", "taskDefinition", "matrix-task-staging:3")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("allowFamilyChange: true in a Pipeline");
        Map<String, Object> moved = steps.ecsDeployRevision(Map.of("cluster", "jitsi-cluster", "service", "matrix",
                "taskDefinition", "matrix-task-staging:3", "allowFamilyChange", true));
        assertThat((String) moved.get("taskDefinitionArn")).endsWith("matrix-task-staging:3");
        assertThatThrownBy(() -> steps.ecsDeployRevision(Map.of("cluster", "jitsi-cluster", "service", "matrix", "taskDefinition", "matrix-task:7",
                "allowFamilyChange", true)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("force: true in a Pipeline");
        Map<String, Object> back = steps.ecsDeployRevision(Map.of("cluster", "jitsi-cluster", "service", "matrix", "taskDefinition", "matrix-task:7",
                "allowFamilyChange", true, "force", true));
        assertThat((String) back.get("taskDefinitionArn")).endsWith("matrix-task:7");
    }

    @Test
    @SuppressWarnings("unchecked")
    void jitsiEnvironmentsGivesTheInstallationSectionsAsPlainSerializableMaps() throws Exception {
        String yaml = new String(PipelineStepsTest.class.getResourceAsStream("/events/jitsi/environments.yaml").readAllBytes());
        Map<String, Object> all = PipelineSteps.jitsiEnvironments(Map.of("yaml", yaml));
        Map<String, Object> production = (Map<String, Object>) ((Map<String, Object>) all.get("environments")).get("production");
        assertThat(production.get("capacity")).hasToString("{autoScalingGroup=example-jitsi-cluster-asg, instanceTypes=[c5.xlarge], "
                + "scaling={scaleOutAtCpu=75, scaleInAtCpu=25}, scaleInProtection={atLeast=1, instancesRunning=[]}}");
        assertThat(production.get("storage")).hasToString("{name=jitsi-matrix-efs}");
        assertThat(production.get("loadBalancer")).hasToString("{name=example-jitsi-alb, routes=[{host=element.virtual.software.bz.it, "
                + "targetGroup=example-element, port=8080}]}");
        assertThat(production.get("dns")).hasToString("{zone=virtual.software.bz.it, records=[{name=element.virtual.software.bz.it, cname=loadBalancer}]}");
        Map<String, Object> staging = (Map<String, Object>) ((Map<String, Object>) all.get("environments")).get("staging");
        assertThat(((Map<String, Object>) staging.get("capacity")).get("scaling")).isEqualTo("none");
        new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(all);
    }
}
