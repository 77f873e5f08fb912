package events.jitsi.cli;

import picocli.CommandLine.Option;

import java.time.Duration;

/** The options of the commands that act on one ECS service and wait for it. */
final class ServiceOptions {
    @Option(names = "--cluster", required = true, description = "ECS cluster, e.g. jitsi-staging-cluster.")
    String cluster;

    @Option(names = "--service", required = true, description = "ECS service, e.g. jitsi.")
    String service;

    @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "30m",
            description = "How long to wait (default ${DEFAULT-VALUE}; e.g. 90s, 10m, 1h).")
    Duration timeout;
}
