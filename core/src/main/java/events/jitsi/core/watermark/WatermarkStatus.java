package events.jitsi.core.watermark;

/**
 * The watermark folder as the web container sees it. {@code sha256} is the served file's, {@code backupSha256} the
 * backup's (null when absent).
 */
public record WatermarkStatus(State state, String sha256, String backupSha256) {
    public enum State {
        /** watermark.svg is served and there is no backup: the original. */
        PRESENT,
        /** watermark.svg is served and the original is kept as watermark.svg_ba. */
        REPLACED,
        /** Only the backup exists: meetings show no watermark. */
        HIDDEN,
        /** Neither file exists. */
        MISSING
    }
}
