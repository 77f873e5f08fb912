package events.jitsi.core.watermark;

import java.util.List;

/**
 * What a watermark command did: the folder's status afterwards and whether anything changed. For a replace,
 * {@code uploadedSha256} is the given file's digest (the served one, re-serialized from what was checked, is
 * {@code status.sha256}) and {@code dropped} names the inert parts that were left out of it.
 */
public record WatermarkResult(String action, boolean changed, String message, WatermarkStatus status, String uploadedSha256,
                              List<String> dropped) {
    public WatermarkResult {
        dropped = dropped == null ? List.of() : List.copyOf(dropped);
    }

    public WatermarkResult(String action, boolean changed, String message, WatermarkStatus status) {
        this(action, changed, message, status, null, List.of());
    }
}
