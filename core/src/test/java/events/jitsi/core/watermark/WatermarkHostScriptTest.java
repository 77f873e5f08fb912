package events.jitsi.core.watermark;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The script sent to the host, run with the real bash on a folder, against the local operation on a twin of that
 * folder: for every action and every state of the folder, the same outcome (done, refused, failed), the same files
 * afterwards (names, contents, modes), the same status.
 */
class WatermarkHostScriptTest {
    private static final String ORIGINAL = "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\"/></svg>";
    private static final String LOGO = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><rect width=\"4\" height=\"4\"/></svg>";
    private static final String OTHER = "<svg xmlns=\"http://www.w3.org/2000/svg\"><path d=\"M0 0h1\"/></svg>";

    @TempDir
    Path tmp;

    /** A state of the images folder, made in a given folder. */
    interface State {
        void make(Path dir) throws IOException;
    }

    static Stream<Arguments> cases() {
        Map<String, State> states = new TreeMap<>();
        states.put("missing", dir -> { });
        states.put("present", dir -> write(dir.resolve("watermark.svg"), ORIGINAL, "rw-r--r--"));
        states.put("present, private", dir -> write(dir.resolve("watermark.svg"), ORIGINAL, "rw-------"));
        states.put("replaced", dir -> {
            write(dir.resolve("watermark.svg"), OTHER, "rw-r--r--");
            write(dir.resolve("watermark.svg_ba"), ORIGINAL, "rw-r--r--");
        });
        states.put("hidden", dir -> write(dir.resolve("watermark.svg_ba"), ORIGINAL, "rw-r--r--"));
        states.put("already the logo", dir -> write(dir.resolve("watermark.svg"), new String(SvgSafety.check(LOGO.getBytes(
                StandardCharsets.UTF_8)).canonical(), StandardCharsets.UTF_8), "rw-r--r--"));
        states.put("watermark.svg is a link", dir -> {
            Path secret = Files.writeString(dir.getParent().resolve(dir.getFileName() + "-secret.txt"), "private");
            Files.createSymbolicLink(dir.resolve("watermark.svg"), secret);
        });
        states.put("backup is a folder", dir -> {
            write(dir.resolve("watermark.svg"), ORIGINAL, "rw-r--r--");
            Files.createDirectory(dir.resolve("watermark.svg_ba"));
        });
        List<Arguments> all = new ArrayList<>();
        for (String action : List.of("status", "hide", "restore", "replace")) {
            states.forEach((name, state) -> all.add(Arguments.of(action, name, state)));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} when {1}")
    @MethodSource("cases")
    void theScriptDoesWhatTheLocalOperationDoes(String action, String stateName, State state) throws Exception {
        Path logo = Files.writeString(tmp.resolve("logo.svg"), LOGO);
        // A folder name with spaces and quotes, as a path on the host may have.
        Path local = Files.createDirectories(tmp.resolve("local images 'x'"));
        Path remote = Files.createDirectories(tmp.resolve("remote images 'x'"));
        state.make(local);
        state.make(remote);

        String localOutcome = localOutcome(action, local, logo);
        WatermarkHostScript.Outcome outcome = runScript(action, remote, action.equals("replace") ? SvgSafety.check(LOGO.getBytes(
                StandardCharsets.UTF_8)).canonical() : null);

        assertThat(outcome.outcome() + (outcome.outcome().equals("ok") ? (changed(outcome) ? " changed" : " unchanged") : ""))
                .as("outcome (%s)", outcome).isEqualTo(localOutcome);
        assertThat(listing(remote)).isEqualTo(listing(local));
        if (outcome.outcome().equals("ok")) {
            assertThat(outcome.status()).isEqualTo(new Watermark(local).status());
        }
    }

    @ParameterizedTest(name = "{0} in a folder that cannot be written")
    @MethodSource("writingActions")
    void inAFolderThatCannotBeWrittenNothingChanges(String action) throws Exception {
        Path remote = Files.createDirectories(tmp.resolve("read only"));
        write(remote.resolve("watermark.svg"), ORIGINAL, "rw-r--r--");
        Map<String, String> before = listing(remote);
        Files.setPosixFilePermissions(remote, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            WatermarkHostScript.Outcome outcome = runScript(action, remote, action.equals("replace")
                    ? SvgSafety.check(LOGO.getBytes(StandardCharsets.UTF_8)).canonical() : null, true);
            assertThat(outcome.outcome()).isEqualTo("failed");
        } finally {
            Files.setPosixFilePermissions(remote, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertThat(listing(remote)).isEqualTo(before);
    }

    static Stream<String> writingActions() {
        return Stream.of("hide", "replace");
    }

    private static boolean changed(WatermarkHostScript.Outcome o) {
        return List.of("hid-original", "removed-replacement", "restored", "replaced").contains(o.code());
    }

    private static String localOutcome(String action, Path dir, Path logo) {
        Watermark w = new Watermark(dir);
        try {
            WatermarkResult r = switch (action) {
                case "status" -> new WatermarkResult("status", false, "", w.status());
                case "hide" -> w.hide();
                case "restore" -> w.restore();
                default -> w.replace(logo);
            };
            return "ok " + (r.changed() ? "changed" : "unchanged");
        } catch (InvalidInputException e) {
            return "refused";
        } catch (OperationFailedException e) {
            return "failed";
        }
    }

    private WatermarkHostScript.Outcome runScript(String action, Path dir, byte[] content) throws Exception {
        return runScript(action, dir, content, false);
    }

    /** @param unprivileged run as nobody when this test runs as root (root writes into a read-only folder) */
    private WatermarkHostScript.Outcome runScript(String action, Path dir, byte[] content, boolean unprivileged) throws Exception {
        Path script = tmp.resolve("command.sh");
        Files.writeString(script, WatermarkHostScript.script(action, dir.toString(), content));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>();
        if (unprivileged && "root".equals(System.getProperty("user.name"))) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.addAll(List.of("bash", script.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        WatermarkHostScript.Outcome o = WatermarkHostScript.outcome(out).orElseThrow(() -> new AssertionError("no result line in: " + out));
        assertThat(p.exitValue()).as(out).isEqualTo(switch (o.outcome()) {
            case "ok" -> 0;
            case "refused" -> 2;
            default -> 1;
        });
        return o;
    }

    /** Every entry of the folder: name -> kind, mode and content digest. */
    private static Map<String, String> listing(Path dir) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String kind = Files.isSymbolicLink(f) ? "link" : Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS) ? "folder"
                        : "file " + PosixFilePermissions.toString(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS)) + " "
                        + Watermark.sha256(Files.readAllBytes(f));
                entries.put(f.getFileName().toString(), kind);
            }
        }
        return entries;
    }

    private static void write(Path file, String content, String mode) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }
}
