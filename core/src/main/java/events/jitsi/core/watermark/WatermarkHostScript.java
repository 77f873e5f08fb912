package events.jitsi.core.watermark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * The bash script that does a watermark action on an EC2 host (sent by {@link RemoteWatermark} through SSM Run
 * Command), made from the template {@code watermark-on-host.sh}. Only base64 text, a SHA-256 and an action from a fixed
 * list are put into it, each inside single quotes: nothing anyone typed becomes shell syntax. The SVG travels gzipped.
 * Its last line reports the outcome and the folder's state, which {@link #outcome} reads.
 */
public final class WatermarkHostScript {
    static final String TEMPLATE = "/events/jitsi/watermark/watermark-on-host.sh";
    static final String RESULT_PREFIX = "events-jitsi-watermark ";
    public static final Set<String> ACTIONS = Set.of("status", "hide", "restore", "replace");

    /** What the script reported: ok, refused or failed; a code saying what happened; the folder afterwards. */
    public record Outcome(String outcome, String code, WatermarkStatus status, String detail) {
    }

    private WatermarkHostScript() {
    }

    /**
     * @param content the file to serve, already checked and written anew ({@link SvgSafety}); only for replace
     */
    public static String script(String action, String dir, byte[] content) {
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("unknown action " + action);
        }
        if ("replace".equals(action) != (content != null)) {
            throw new IllegalArgumentException("replace, and only replace, carries a file");
        }
        String template = template();
        return template.replace("@ACTION@", action)
                .replace("@DIR_BASE64@", Base64.getEncoder().encodeToString(dir.getBytes(StandardCharsets.UTF_8)))
                .replace("@SHA256@", content == null ? "" : Watermark.sha256(content))
                .replace("@CONTENT_GZIP_BASE64@", content == null ? "" : Base64.getEncoder().encodeToString(gzip(content)));
    }

    /** The script's result line, if it printed one (its last such line). */
    public static Optional<Outcome> outcome(String stdout) {
        if (stdout == null) {
            return Optional.empty();
        }
        String line = null;
        for (String l : stdout.split("\n")) {
            if (l.startsWith(RESULT_PREFIX)) {
                line = l;
            }
        }
        if (line == null) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : line.substring(RESULT_PREFIX.length()).strip().split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        WatermarkStatus.State state;
        try {
            state = WatermarkStatus.State.valueOf(fields.getOrDefault("state", ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String detail;
        try {
            detail = new String(Base64.getDecoder().decode(fields.getOrDefault("detail", "")), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            detail = "";
        }
        WatermarkStatus status = new WatermarkStatus(state, blankToNull(fields.get("sha256")), blankToNull(fields.get("backup_sha256")));
        return Optional.of(new Outcome(fields.getOrDefault("outcome", ""), fields.getOrDefault("code", ""), status, detail));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String template() {
        try (InputStream in = WatermarkHostScript.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
