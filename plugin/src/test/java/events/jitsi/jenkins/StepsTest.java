package events.jitsi.jenkins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import events.jitsi.simulator.EcsSimulator;
import hudson.model.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.JenkinsRule;

public class StepsTest {
    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private EcsSimulator sim;

    @Before
    public void startSimulator() throws Exception {
        sim = SimulatorFixture.start();
        SimulatorFixture.addAwsCredential();
    }

    @After
    public void stopSimulator() {
        sim.close();
    }

    private WorkflowRun run(String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "p" + j.jenkins.getItems().size());
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p.scheduleBuild2(0).get();
    }

    @Test
    public void deployAndWaitInAPipeline() throws Exception {
        WorkflowRun b = run("def d = ecsDeployRevision(cluster: 'jitsi-staging-cluster', service: 'jitsi', revision: 4, "
                + SimulatorFixture.aws(sim) + ")\n"
                + "echo \"deployed ${d.taskDefinitionArn} as ${d.deploymentId}\"\n"
                + "def w = waitForServiceStable(cluster: 'jitsi-staging-cluster', service: 'jitsi', deploymentId: d.deploymentId, timeout: 5, "
                + SimulatorFixture.aws(sim) + ")\n"
                + "echo \"outcome ${w.outcome}\"\n");
        j.assertBuildStatusSuccess(b);
        j.assertLogContains("jitsi-meet-task-staging:4 as ecs-svc/", b);
        j.assertLogContains("(service jitsi) has reached a steady state.", b);
        j.assertLogContains("outcome SUCCEEDED", b);
        assertThat(sim.model().currentTaskDefinition("jitsi-staging-cluster", "jitsi"), endsWith("jitsi-meet-task-staging:4"));
    }

    @Test
    public void aFailedRolloutFailsTheStepAndRollsBack() throws Exception {
        sim.model().setCircuitBreaker("jitsi-cluster", "jitsi", true, false);
        WorkflowRun b = run("def d = ecsDeployRevision(cluster: 'jitsi-cluster', service: 'jitsi', images: ['web=jitsi/web:broken'], "
                + SimulatorFixture.aws(sim) + ")\n"
                + "waitForServiceStable(cluster: 'jitsi-cluster', service: 'jitsi', deploymentId: d.deploymentId, rollbackOnFailure: true, "
                + "rollbackTo: d.previousTaskDefinitionArn, deregisterFailedRevision: d.registeredRevision, " + SimulatorFixture.aws(sim) + ")\n");
        j.assertBuildStatus(Result.FAILURE, b);
        j.assertLogContains("CannotPullContainerError", b);
        j.assertLogContains("Rolled back: the service runs jitsi-meet-task:12 again.", b);
        assertThat(sim.model().currentTaskDefinition("jitsi-cluster", "jitsi"), endsWith("jitsi-meet-task:12"));
    }

    @Test
    public void aPromotionDryRunReturnsTheDiffAndWritesNothing() throws Exception {
        WorkflowRun b = run("def plan = ecsDeployRevision(cluster: 'jitsi-cluster', service: 'matrix', dryRun: true, "
                + "imagesFromCluster: 'jitsi-staging-cluster', imagesFromService: 'matrix', " + SimulatorFixture.aws(sim) + ")\n"
                + "echo plan.diff\n");
        j.assertBuildStatusSuccess(b);
        j.assertLogContains("+    \"image\" : \"matrixdotorg/synapse:v1.120.0\",", b);
        assertThat(sim.calls().toString(), not(containsString("UpdateService")));
        assertThat(sim.calls().toString(), not(containsString("RegisterTaskDefinition")));
    }

    @Test
    public void verificationWritesAJUnitReportIntoTheWorkspace() throws Exception {
        WorkflowRun b = run("node {\n"
                + "  def r = verifyEnvironments(junit: 'verify.xml', checks: ['ecs'], " + SimulatorFixture.aws(sim) + ")\n"
                + "  echo \"passed ${r.passed} with ${r.failures.size()} failures\"\n"
                + "  echo readFile('verify.xml')\n"
                + "}\n");
        j.assertBuildStatusSuccess(b);
        j.assertLogContains("passed false with 2 failures", b);
        j.assertLogContains("<testsuite name=\"verify.staging\"", b);
    }

    @Test
    public void theWatermarkIsChangedOnTheAgent() throws Exception {
        Path images = tmp.newFolder("images").toPath();
        Files.writeString(images.resolve("watermark.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        j.createOnlineSlave();
        WorkflowRun b = run("node('!built-in') {\n"
                + "  def r = jitsiWatermark(action: 'hide', dir: '" + images + "')\n"
                + "  echo \"state ${r.state}\"\n"
                + "}\n");
        j.assertBuildStatusSuccess(b);
        j.assertLogContains("state HIDDEN", b);
        assertThat(Files.exists(images.resolve("watermark.svg_ba")) + "", endsWith("true"));
    }

    @Test
    public void theProsodyPasswordNeverReachesTheLog() throws Exception {
        Path root = tmp.newFolder("prosody").toPath();
        Path data = Files.createDirectories(root.resolve("data"));
        Path config = root.resolve("prosody.cfg.lua");
        Files.writeString(config, "run_as_root = true\ndata_path = \"" + data + "\"\nauthentication = \"internal_hashed\"\n"
                + "log = { { levels = { min = \"error\" }, to = \"console\" } }\nVirtualHost \"meet.jitsi\"\n");
        String password = "s3cret pass \"with quotes\"";
        SystemCredentialsProvider.getInstance().getCredentials().add(
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "moderator", "Prosody moderator", "moderator", password));
        WorkflowRun b = run("node {\n"
                + "  def r = prosodyRegister(credentialsId: 'moderator', local: true, config: '" + config + "')\n"
                + "  echo r.message\n"
                + "}\n");
        j.assertBuildStatusSuccess(b);
        j.assertLogContains("Created the account moderator@meet.jitsi.", b);
        j.assertLogNotContains(password, b);
        j.assertLogNotContains("s3cret", b);
        assertThat(Files.exists(data.resolve("meet%2ejitsi/accounts/moderator.dat")) + "", endsWith("true"));
    }

    @Test
    public void unknownArgumentsAndBadInputFailWithAClearMessage() throws Exception {
        WorkflowRun b = run("ecsDeployRevision(cluster: 'jitsi-cluster', service: 'jitsi', revision: 99, " + SimulatorFixture.aws(sim) + ")\n");
        j.assertBuildStatus(Result.FAILURE, b);
        j.assertLogContains("Task definition jitsi-meet-task:99 does not exist", b);
        assertThat(sim.calls().toString(), not(containsString("UpdateService")));
    }

    @Test
    public void aJUnitReportOutsideTheWorkspaceIsRefusedBeforeAnythingRuns() throws Exception {
        Path outside = tmp.getRoot().toPath().resolve("escaped.xml");
        for (String name : List.of(outside.toString(), "../escaped.xml", "reports/../../escaped.xml")) {
            WorkflowRun b = run("node { verifyEnvironments(junit: '" + name + "', checks: ['ecs'], " + SimulatorFixture.aws(sim) + ") }\n");
            j.assertBuildStatus(Result.FAILURE, b);
            j.assertLogContains("'junit' must be a file name inside the workspace", b);
            j.assertLogNotContains("\tat ", b);
        }
        assertThat(Files.exists(outside) + "", endsWith("false"));
        assertThat(sim.calls().toString(), not(containsString("DescribeServices")));
    }

    @Test
    public void aMissingCredentialIsOneLineWithoutAStackTrace() throws Exception {
        WorkflowRun b = run("waitForServiceStable(cluster: 'jitsi-cluster', service: 'jitsi', region: 'eu-central-1', credentialsId: 'nope')\n");
        j.assertBuildStatus(Result.FAILURE, b);
        j.assertLogContains("No AWS credential with id 'nope' is available to this build", b);
        j.assertLogNotContains("\tat ", b);
    }

    @Test
    public void withoutACredentialIdTheBuildsOwnAwsKeysAreUsedAndNamedNeverShown() throws Exception {
        String endpoint = "region: '" + sim.region() + "', endpointUrl: '" + sim.endpoint() + "'";
        WorkflowRun b = run("withEnv(['AWS_ACCESS_KEY_ID=AKIDFROMTHEBUILD', 'AWS_SECRET_ACCESS_KEY=build-secret-value', 'AWS_SESSION_TOKEN=build-token']) {\n"
                + "  def s = ecsServiceState(cluster: 'jitsi-cluster', service: 'jitsi', " + endpoint + ")\n"
                + "  echo s.summary\n"
                + "}\n");
        j.assertBuildStatusSuccess(b);
        j.assertLogContains("AWS calls as the build's AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN (withAWS or withCredentials)", b);
        j.assertLogContains("jitsi in jitsi-cluster runs jitsi-meet-task:12", b);
        j.assertLogNotContains("build-secret-value", b);
        j.assertLogNotContains("build-token", b);
        assertThat(sim.callLog().get(sim.callLog().size() - 1).accessKeyId(), org.hamcrest.Matchers.is("AKIDFROMTHEBUILD"));

        WorkflowRun withId = run("withEnv(['AWS_ACCESS_KEY_ID=AKIDFROMTHEBUILD', 'AWS_SECRET_ACCESS_KEY=build-secret-value']) {\n"
                + "  ecsServiceState(cluster: 'jitsi-cluster', service: 'jitsi', " + SimulatorFixture.aws(sim) + ")\n"
                + "}\n");
        j.assertBuildStatusSuccess(withId);
        j.assertLogContains("AWS calls as the AWS credential '" + SimulatorFixture.AWS + "'", withId);
        assertThat(sim.callLog().get(sim.callLog().size() - 1).accessKeyId(), org.hamcrest.Matchers.is("AKIDSIMULATOR"));
    }

    @Test
    public void theWaitStepKeepsOnlyJdkTypesInItsSavedState() throws Exception {
        for (java.lang.reflect.Field f : WaitForServiceStableStep.Execution.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (java.lang.reflect.Modifier.isStatic(m) || java.lang.reflect.Modifier.isTransient(m)) {
                continue;
            }
            assertThat(f.getName() + " is saved with the step", f.getType().getName(), org.hamcrest.Matchers.startsWith("java."));
        }
    }

    @Test
    public void ecsServiceStateSaysWhatRunsNow() throws Exception {
        WorkflowRun b = run("def s = ecsServiceState(cluster: 'jitsi-cluster', service: 'jitsi', " + SimulatorFixture.aws(sim) + ")\n"
                + "echo \"settled ${s.settled} on ${s.taskDefinitionArn}: ${s.deployments.size()} deployment\"\n");
        j.assertBuildStatusSuccess(b);
        j.assertLogContains("settled true on arn:aws:ecs:", b);
        j.assertLogContains("jitsi-meet-task:12: 1 deployment", b);
        assertThat(sim.calls().toString(), not(containsString("UpdateService")));
    }

    @Test
    public void waitsOfManyBuildsOnOneClusterShareDescribeServicesCalls() throws Exception {
        sim.model().setStartSeconds("jitsi-staging-cluster", "matrix", 20);
        WorkflowRun deploy = run("ecsDeployRevision(cluster: 'jitsi-staging-cluster', service: 'matrix', forceNewDeployment: true, "
                + SimulatorFixture.aws(sim) + ")\n");
        j.assertBuildStatusSuccess(deploy);
        sim.resetCalls();
        List<WorkflowRun> waits = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            WorkflowJob p = j.createProject(WorkflowJob.class, "wait" + i);
            p.setDefinition(new CpsFlowDefinition("waitForServiceStable(cluster: 'jitsi-staging-cluster', service: 'matrix', timeout: 5, "
                    + SimulatorFixture.aws(sim) + ")\n", true));
            waits.add(p.scheduleBuild2(0).waitForStart());
        }
        for (WorkflowRun b : waits) {
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
        }
        long rounds = sim.callLog().stream().filter(c -> c.operation().equals("DescribeServices")).map(c -> c.at().getEpochSecond()).distinct().count();
        // Five builds, one cluster: one DescribeServices call per round (plus at most one at once for each wait that
        // joins), where five separate engines would make five per round.
        assertThat((sim.callCount("DescribeServices") <= rounds + waits.size()) + "", endsWith("true"));
    }

    @Test
    public void theSnippetGeneratorRoundTripsEveryArgument() throws Exception {
        SnippetizerTester st = new SnippetizerTester(j);
        EcsDeployRevisionStep deploy = new EcsDeployRevisionStep("jitsi-cluster", "jitsi");
        deploy.setRevision(13);
        deploy.setTaskDefinition("jitsi-meet-task:13");
        deploy.setImages(List.of("web=jitsi/web:stable-10133", "prosody=jitsi/prosody:stable-10133"));
        deploy.setForceNewDeployment(true);
        deploy.setDesiredCount(2);
        deploy.setAllowFamilyChange(true);
        deploy.setForce(true);
        deploy.setRegion("eu-central-1");
        deploy.setCredentialsId("aws-jitsi");
        deploy.setEndpointUrl("http://127.0.0.1:4566");
        st.assertRoundTrip(deploy, "ecsDeployRevision allowFamilyChange: true, cluster: 'jitsi-cluster', credentialsId: 'aws-jitsi', desiredCount: 2, "
                + "endpointUrl: 'http://127.0.0.1:4566', force: true, forceNewDeployment: true, "
                + "images: ['web=jitsi/web:stable-10133', 'prosody=jitsi/prosody:stable-10133'], region: 'eu-central-1', revision: 13, "
                + "service: 'jitsi', taskDefinition: 'jitsi-meet-task:13'");

        EcsDeployRevisionStep promote = new EcsDeployRevisionStep("jitsi-cluster", "matrix");
        promote.setImagesFromCluster("jitsi-staging-cluster");
        promote.setImagesFromService("matrix");
        promote.setImagesFromRegion("eu-west-1");
        promote.setCopyEnvironment(List.of("SYNAPSE_REPORT_STATS"));
        promote.setIgnoreContainers(List.of("sidecar"));
        promote.setExpectSourceTaskDefinition("matrix-task-staging:3");
        promote.setExpectTaskDefinition("matrix-task:7");
        promote.setDryRun(true);
        st.assertRoundTrip(promote, "ecsDeployRevision cluster: 'jitsi-cluster', copyEnvironment: ['SYNAPSE_REPORT_STATS'], dryRun: true, "
                + "expectSourceTaskDefinition: 'matrix-task-staging:3', expectTaskDefinition: 'matrix-task:7', ignoreContainers: ['sidecar'], "
                + "imagesFromCluster: 'jitsi-staging-cluster', imagesFromRegion: 'eu-west-1', imagesFromService: 'matrix', service: 'matrix'");

        WaitForServiceStableStep wait = new WaitForServiceStableStep("jitsi-cluster", "jitsi");
        wait.setDeploymentId("ecs-svc/123");
        wait.setTimeout(20);
        wait.setRollbackOnFailure(true);
        wait.setRollbackTo("jitsi-meet-task:12");
        wait.setRollbackTimeout(15);
        wait.setDeregisterFailedRevision(true);
        wait.setRegion("eu-central-1");
        wait.setCredentialsId("aws-jitsi");
        wait.setEndpointUrl("http://127.0.0.1:4566");
        st.assertRoundTrip(wait, "waitForServiceStable cluster: 'jitsi-cluster', credentialsId: 'aws-jitsi', deploymentId: 'ecs-svc/123', "
                + "deregisterFailedRevision: true, endpointUrl: 'http://127.0.0.1:4566', region: 'eu-central-1', rollbackOnFailure: true, "
                + "rollbackTimeout: 15, rollbackTo: 'jitsi-meet-task:12', service: 'jitsi', timeout: 20");

        st.assertRoundTrip(new JitsiWatermarkStep("hide"), "jitsiWatermark 'hide'");
        JitsiWatermarkStep watermark = new JitsiWatermarkStep("replace");
        watermark.setFile("branding/watermark.svg");
        watermark.setDir("/mnt/efs/fs1/jitsi/jitsi-meet/images");
        st.assertRoundTrip(watermark, "jitsiWatermark action: 'replace', dir: '/mnt/efs/fs1/jitsi/jitsi-meet/images', file: 'branding/watermark.svg'");
        JitsiWatermarkStep check = new JitsiWatermarkStep("check");
        check.setFile("branding/watermark.svg");
        st.assertRoundTrip(check, "jitsiWatermark action: 'check', file: 'branding/watermark.svg'");

        ProsodyRegisterStep prosody = new ProsodyRegisterStep("moderator");
        prosody.setUser("alice");
        prosody.setDomain("meet.jitsi");
        prosody.setConfig("/config/prosody.cfg.lua");
        prosody.setCluster("jitsi-staging-cluster");
        st.assertRoundTrip(prosody, "prosodyRegister cluster: 'jitsi-staging-cluster', config: '/config/prosody.cfg.lua', "
                + "credentialsId: 'moderator', domain: 'meet.jitsi', user: 'alice'");
        ProsodyRegisterStep local = new ProsodyRegisterStep("moderator");
        local.setContainer("prosody");
        local.setUnregister(true);
        st.assertRoundTrip(local, "prosodyRegister container: 'prosody', credentialsId: 'moderator', unregister: true");
        ProsodyRegisterStep onHost = new ProsodyRegisterStep("moderator");
        onHost.setLocal(true);
        st.assertRoundTrip(onHost, "prosodyRegister credentialsId: 'moderator', local: true");

        VerifyEnvironmentsStep verify = new VerifyEnvironmentsStep();
        verify.setEnvironments("environments: {}");
        verify.setOnly(List.of("staging", "production"));
        verify.setChecks(List.of("ecs", "loadBalancer"));
        verify.setJunit("verify.xml");
        verify.setHtml("verify.html");
        verify.setUrlTimeout(10);
        verify.setRegion("eu-central-1");
        verify.setCredentialsId("aws-jitsi");
        verify.setEndpointUrl("http://127.0.0.1:4566");
        st.assertRoundTrip(verify, "verifyEnvironments checks: ['ecs', 'loadBalancer'], credentialsId: 'aws-jitsi', endpointUrl: 'http://127.0.0.1:4566', "
                + "environments: 'environments: {}', html: 'verify.html', junit: 'verify.xml', only: ['staging', 'production'], region: 'eu-central-1', urlTimeout: 10");

        st.assertRoundTrip(new JitsiEnvironmentsStep("environments: {}"), "jitsiEnvironments 'environments: {}'");

        EcsServiceStateStep state = new EcsServiceStateStep("jitsi-cluster", "jitsi");
        state.setCredentialsId("aws-jitsi");
        st.assertRoundTrip(state, "ecsServiceState cluster: 'jitsi-cluster', credentialsId: 'aws-jitsi', service: 'jitsi'");
    }

    @Test
    public void theFormsTextareaOfImagesIsOneEntryPerLine() {
        EcsDeployRevisionStep deploy = new EcsDeployRevisionStep("jitsi-cluster", "jitsi");
        deploy.setImages(List.of("web=jitsi/web:stable-10133\n\n  prosody=jitsi/prosody:stable-10133  \n"));
        assertThat(deploy.getImages(), org.hamcrest.Matchers.contains("web=jitsi/web:stable-10133", "prosody=jitsi/prosody:stable-10133"));
        assertThat(deploy.getImagesLines(), org.hamcrest.Matchers.is("web=jitsi/web:stable-10133\nprosody=jitsi/prosody:stable-10133"));
    }
}
