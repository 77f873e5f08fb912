package events.jitsi.cli;

import events.jitsi.core.InvalidInputException;
import events.jitsi.simulator.EcsSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "simulator", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the ECS simulator on loopback in real time until stopped (Ctrl-C), so that this tool, the AWS CLI",
                "or your own scripts can be pointed at it with --endpoint-url."})
final class SimulatorCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--state", paramLabel = "FILE", description = "The simulator's starting state (JSON; default: the seed topology).")
    Path state;

    @Option(names = "--port", defaultValue = "0", description = "Loopback port (default: any free port, printed at start).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        if (state != null && !Files.isRegularFile(state)) {
            throw new InvalidInputException("Simulator state " + state + " is not a file.");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidInputException("--port must be 0 to 65535, got " + port + ".");
        }
        try (EcsSimulator sim = EcsSimulator.start(Clock.systemUTC(), state == null ? EcsSimulator.defaultState() : EcsSimulator.readState(state), port)) {
            main.output().result(java.util.Map.of("endpoint", sim.endpoint().toString(), "region", sim.region()),
                    "ECS simulator on " + sim.endpoint() + " (region " + sim.region() + "); for example:\n"
                            + "  events-jitsi --endpoint-url " + sim.endpoint() + " --region " + sim.region() + " status\n"
                            + "  aws ecs describe-services --endpoint-url " + sim.endpoint() + " --region " + sim.region()
                            + " --cluster jitsi-cluster --services jitsi\nStop it with Ctrl-C.");
            System.out.flush();
            // Runs until the process is stopped.
            new CountDownLatch(1).await();
        }
        return Main.OK;
    }
}
