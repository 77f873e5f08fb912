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
        WorkflowRun b = run("def d = ecsDeployRevision(cluster: 'jitsi-cluster', service: 'jitsi', images: [web: 'jitsi/web:broken'], "
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
                + "imagesFrom: [cluster: 'jitsi-staging-cluster', service: 'matrix'], " + SimulatorFixture.aws(sim) + ")\n"
                + "echo plan.diff\n");
        j.assertBuildStatusSuccess(b);
        j.assertLogContains("+    \"image\" : \"matrixdotorg/synapse:v1.120.0\",", b);
        assertThat(sim.calls().toString(), not(containsString("UpdateService")));
        assertThat(sim.calls().toString(), not(containsString("RegisterTaskDefinition")));
    }

    @Test
    public void verificationWritesAJUnitReportIntoTheWorkspace() throws Exception {
        WorkflowRun b = run("node {\n"
                + "  def r = verifyEnvironments(junit: 'verify.xml', " + SimulatorFixture.aws(sim) + ")\n"
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
    public void theSnippetGeneratorRoundTripsEachStep() throws Exception {
        SnippetizerTester st = new SnippetizerTester(j);
        EcsDeployRevisionStep deploy = new EcsDeployRevisionStep("jitsi-cluster", "jitsi");
        deploy.setRevision(13);
        deploy.setCredentialsId("aws-jitsi");
        st.assertRoundTrip(deploy, "ecsDeployRevision cluster: 'jitsi-cluster', credentialsId: 'aws-jitsi', revision: 13, service: 'jitsi'");

        WaitForServiceStableStep wait = new WaitForServiceStableStep("jitsi-cluster", "jitsi");
        wait.setTimeout(20);
        st.assertRoundTrip(wait, "waitForServiceStable cluster: 'jitsi-cluster', service: 'jitsi', timeout: 20");

        JitsiWatermarkStep watermark = new JitsiWatermarkStep("hide");
        st.assertRoundTrip(watermark, "jitsiWatermark 'hide'");

        ProsodyRegisterStep prosody = new ProsodyRegisterStep("moderator");
        prosody.setCluster("jitsi-staging-cluster");
        st.assertRoundTrip(prosody, "prosodyRegister cluster: 'jitsi-staging-cluster', credentialsId: 'moderator'");

        VerifyEnvironmentsStep verify = new VerifyEnvironmentsStep();
        verify.setOnly(List.of("staging"));
        verify.setJunit("verify.xml");
        st.assertRoundTrip(verify, "verifyEnvironments junit: 'verify.xml', only: ['staging']");

        st.assertRoundTrip(new JitsiEnvironmentsStep("environments: {}"), "jitsiEnvironments 'environments: {}'");
    }
}
