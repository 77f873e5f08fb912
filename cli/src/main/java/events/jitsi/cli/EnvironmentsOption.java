package events.jitsi.cli;

import events.jitsi.core.config.Environments;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --config} option of the commands that read the environments file. */
final class EnvironmentsOption {
    @Option(names = "--config", paramLabel = "FILE", description = "Environments file (default: the built-in seed topology).")
    Path file;

    Environments load() {
        return Environments.loadOrDefault(file);
    }
}
