package events.jitsi.jenkins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;

import events.jitsi.simulator.EcsSimulator;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.JenkinsSessionRule;

/** A controller restart in the middle of waitForServiceStable: the wait resumes and ends with the right outcome. */
public class WaitRestartTest {
    @Rule
    public JenkinsSessionRule sessions = new JenkinsSessionRule();

    @Test
    public void aWaitSurvivesARestart() throws Throwable {
        try (EcsSimulator sim = SimulatorFixture.start()) {
            // Slow enough that the restart happens mid-wait.
            sim.model().setStartSeconds("jitsi-staging-cluster", "matrix", 40);
            String aws = SimulatorFixture.aws(sim);
            long[] waitingSince = new long[1];
            sessions.then(j -> {
                SimulatorFixture.addAwsCredential();
                WorkflowJob p = j.createProject(WorkflowJob.class, "p");
                p.setDefinition(new CpsFlowDefinition(
                        "def d = ecsDeployRevision(cluster: 'jitsi-staging-cluster', service: 'matrix', forceNewDeployment: true, " + aws + ")\n"
                                + "def w = waitForServiceStable(cluster: 'jitsi-staging-cluster', service: 'matrix', deploymentId: d.deploymentId, " + aws + ")\n"
                                + "echo \"outcome ${w.outcome} for ${w.deploymentId}\"\n"
                                + "echo \"seconds ${w.seconds}\"\n", true));
                WorkflowRun b = p.scheduleBuild2(0).waitForStart();
                j.waitForMessage("(service matrix) has started 1 tasks", b);
                waitingSince[0] = System.currentTimeMillis();
            });
            sessions.then(j -> {
                WorkflowJob p = j.jenkins.getItemByFullName("p", WorkflowJob.class);
                WorkflowRun b = p.getBuildByNumber(1);
                j.waitForCompletion(b);
                j.assertBuildStatusSuccess(b);
                j.assertLogContains("Resuming waitForServiceStable after a restart: waiting for matrix deployment ecs-svc/", b);
                j.assertLogContains("outcome SUCCEEDED for ecs-svc/", b);
                // Each service event once, across the restart; the seconds count from the first start.
                String log = JenkinsRule.getLog(b);
                assertThat(log.split("has started 1 tasks", -1).length - 1, org.hamcrest.Matchers.is(1));
                java.util.regex.Matcher seconds = java.util.regex.Pattern.compile("(?m)^seconds (\\d+)$").matcher(log);
                assertThat(seconds.find(), org.hamcrest.Matchers.is(true));
                long downAndAfter = (System.currentTimeMillis() - waitingSince[0]) / 1000;
                assertThat(Long.parseLong(seconds.group(1)) + 1, org.hamcrest.Matchers.greaterThanOrEqualTo(downAndAfter));
                assertThat(sim.model().currentTaskDefinition("jitsi-staging-cluster", "matrix"), endsWith("matrix-task-staging:3"));
            });
        }
    }
}
