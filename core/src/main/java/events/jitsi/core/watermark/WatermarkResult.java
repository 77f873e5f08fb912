package events.jitsi.core.watermark;

/** What a watermark command did: the folder's status afterwards and whether anything changed. */
public record WatermarkResult(String action, boolean changed, String message, WatermarkStatus status) {
}
