package events.jitsi.pluginchecks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the plugin's files are, seen from this module (Maven runs the tests in the module's folder). */
final class PluginFiles {
    static final Path PLUGIN = Path.of("..", "plugin").toAbsolutePath().normalize();
    static final Path RESOURCES = PLUGIN.resolve("src/main/resources");
    static final Path JAVA = PLUGIN.resolve("src/main/java");

    private PluginFiles() {
    }

    static List<Path> under(Path root, String suffix) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A path for messages: relative to the plugin folder. */
    static String name(Path file) {
        return "plugin/" + PLUGIN.relativize(file).toString().replace('\\', '/');
    }
}
