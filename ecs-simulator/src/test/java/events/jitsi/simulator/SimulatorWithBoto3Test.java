package events.jitsi.simulator;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The simulator driven by an independent client: boto3, whose botocore model is ECS's own API description, calls
 * every operation the engine uses and a few that ECS refuses (src/test/python/drive_with_boto3.py). Our tests use the
 * Java SDK against the simulator; this keeps the simulator honest to a second implementation of the protocol.
 */
class SimulatorWithBoto3Test {
    @Test
    void everyOperationTheEngineUsesAnswersBoto3AsEcsWould() throws Exception {
        Process probe = new ProcessBuilder("python3", "-c", "import boto3").redirectErrorStream(true).start();
        if (probe.waitFor() != 0) {
            fail("python3 with boto3 is needed (this machine image's Python has it): "
                    + new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        // Real time, quick tasks: the crash the script waits for takes seconds.
        com.fasterxml.jackson.databind.node.ObjectNode state = EcsSimulator.defaultState();
        state.putObject("timing").put("taskStartSeconds", 1).put("taskStopSeconds", 1).put("taskFailSeconds", 1).put("relaunchDelaySeconds", 1);
        try (EcsSimulator sim = EcsSimulator.start(Clock.systemUTC(), state)) {
            Process p = new ProcessBuilder("python3", Path.of("src/test/python/drive_with_boto3.py").toAbsolutePath().toString(),
                    sim.endpoint().toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(out).doesNotContain("FAIL ").contains(" passed, 0 failed");
            assertThat(p.exitValue()).as(out).isZero();
        }
    }
}
