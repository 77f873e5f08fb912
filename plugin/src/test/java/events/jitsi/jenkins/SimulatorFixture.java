package events.jitsi.jenkins;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import events.jitsi.simulator.EcsSimulator;
import java.io.IOException;
import java.time.Clock;

/** The ECS simulator in real time with quick rollouts, and the AWS credential the test pipelines name. */
final class SimulatorFixture {
    static final String AWS = "aws-simulator";

    private SimulatorFixture() {
    }

    static EcsSimulator start() {
        ObjectNode state = EcsSimulator.defaultState();
        state.putObject("timing").put("taskStartSeconds", 2).put("taskStopSeconds", 2).put("taskFailSeconds", 1)
                .put("relaunchDelaySeconds", 1);
        return EcsSimulator.start(Clock.systemUTC(), state);
    }

    static void addAwsCredential() throws IOException {
        SystemCredentialsProvider.getInstance().getCredentials()
                .add(new AWSCredentialsImpl(CredentialsScope.GLOBAL, AWS, "AKIDSIMULATOR", "simulator-secret", "simulator"));
        SystemCredentialsProvider.getInstance().save();
    }

    /** The arguments that point a step at the simulator. */
    static String aws(EcsSimulator sim) {
        return "region: '" + sim.region() + "', credentialsId: '" + AWS + "', endpointUrl: '" + sim.endpoint() + "'";
    }
}
