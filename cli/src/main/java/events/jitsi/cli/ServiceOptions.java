package events.jitsi.cli;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.ecs.PollingPolicy;
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

    @Option(names = "--poll-initial", converter = DurationConverter.class, defaultValue = "5s",
            description = "First interval between DescribeServices calls after a deployment starts (default ${DEFAULT-VALUE}).")
    Duration pollInitial;

    @Option(names = "--poll-max", converter = DurationConverter.class, defaultValue = "30s",
            description = "Longest interval while nothing changes; it doubles up to this (default ${DEFAULT-VALUE}).")
    Duration pollMax;

    @Option(names = "--poll-fast", converter = DurationConverter.class, defaultValue = "5s",
            description = "Interval once the old tasks drain or tasks fail (default ${DEFAULT-VALUE}).")
    Duration pollFast;

    @Option(names = "--placement-stall", converter = DurationConverter.class, defaultValue = "5m",
            description = "Fail when the rollout has made no progress this long while ECS cannot place its tasks (default ${DEFAULT-VALUE}).")
    Duration placementStall;

    PollingPolicy polling() {
        try {
            return new PollingPolicy(pollInitial, 2.0, pollMax, pollFast, placementStall);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Polling intervals: " + e.getMessage() + " (got --poll-initial " + pollInitial
                    + ", --poll-max " + pollMax + ", --poll-fast " + pollFast + ", --placement-stall " + placementStall + ").");
        }
    }
}
