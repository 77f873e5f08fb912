package events.jitsi.cli.testbeds;

import events.jitsi.cli.Main;
import events.jitsi.core.InvalidInputException;
import events.jitsi.simulator.EcsSimulator;
import events.jitsi.simulator.InvalidStateException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "simulator", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the ECS simulator on loopback in real time until stopped (Ctrl-C).",
                "Point this tool, the AWS CLI or your own scripts at it with --endpoint-url."})
public final class SimulatorCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--state", paramLabel = "FILE", description = "The simulator's starting state (JSON; default: the seed topology).")
    Path state;

    @Option(names = "--port", defaultValue = "0", description = "Loopback port (default: any free port, printed at start).")
    int port;

    @Option(names = "--instances", paramLabel = "CLUSTER=COUNTxTYPE", description = {"The EC2 instances of a cluster, replacing the "
            + "state's, e.g. jitsi-staging-cluster=2xc5a.large (repeatable). Default: the seed's, 1 x c5a.large in staging and 2 x "
            + "c5.xlarge in production."})
    java.util.List<String> instances = new java.util.ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        if (state != null && !Files.isRegularFile(state)) {
            throw new InvalidInputException("Simulator state " + state + " is not a file.");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidInputException("--port must be 0 to 65535, got " + port + ".");
        }
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = state == null ? EcsSimulator.defaultState() : EcsSimulator.readState(state);
        } catch (InvalidStateException e) {
            throw new InvalidInputException(e.getMessage());
        }
        for (String given : instances) {
            withInstances(tree, given);
        }
        EcsSimulator started;
        try {
            started = EcsSimulator.start(Clock.systemUTC(), tree, port);
        } catch (InvalidStateException e) {
            throw new InvalidInputException((state == null ? "" : state + ": ") + e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            throw new InvalidInputException(e.getMessage() + "; choose another --port, or 0 for any free one.");
        }
        try (EcsSimulator sim = started) {
            StringBuilder where = new StringBuilder();
            for (var c : tree.path("clusters")) {
                java.util.List<String> types = new java.util.ArrayList<>();
                c.path("instances").forEach(i -> types.add(i.path("count").asInt(1) + " x " + i.path("type").asText()));
                where.append("  ").append(c.path("name").asText()).append(": ").append(String.join(", ", types)).append('\n');
            }
            main.output().result(java.util.Map.of("endpoint", sim.endpoint().toString(), "region", sim.region()),
                    "ECS simulator on " + sim.endpoint() + " (region " + sim.region() + "), instances:\n" + where + "For example:\n"
                            + "  events-jitsi --endpoint-url " + sim.endpoint() + " --region " + sim.region() + " status\n"
                            + "  aws ecs describe-services --endpoint-url " + sim.endpoint() + " --region " + sim.region()
                            + " --cluster jitsi-cluster --services jitsi\nStop it with Ctrl-C.");
            System.out.flush();
            // Runs until the process is stopped.
            new CountDownLatch(1).await();
        }
        return Main.OK;
    }

    /** Replaces one cluster's instances with {@code given}, CLUSTER=COUNTxTYPE; a malformed value or unknown cluster is bad input. */
    private static void withInstances(com.fasterxml.jackson.databind.JsonNode tree, String given) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([A-Za-z0-9_-]+)=(\\d+)x([a-z0-9]+\\.[a-z0-9]+)").matcher(given);
        if (!m.matches()) {
            throw new InvalidInputException("--instances takes CLUSTER=COUNTxTYPE, e.g. jitsi-staging-cluster=2xc5a.large; got '" + given + "'.");
        }
        for (var c : tree.path("clusters")) {
            if (c.path("name").asText().equals(m.group(1))) {
                com.fasterxml.jackson.databind.node.ArrayNode list = ((com.fasterxml.jackson.databind.node.ObjectNode) c).putArray("instances");
                list.addObject().put("type", m.group(3)).put("count", Integer.parseInt(m.group(2)));
                return;
            }
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        tree.path("clusters").forEach(c -> names.add(c.path("name").asText()));
        throw new InvalidInputException("--instances: the state has no cluster '" + m.group(1) + "'; it has " + String.join(", ", names) + ".");
    }
}
