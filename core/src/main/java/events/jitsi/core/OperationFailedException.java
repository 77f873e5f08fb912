package events.jitsi.core;

/**
 * The operation was valid but did not succeed (a rollout failed, a command on the host failed); the CLI exits 1.
 * Invisible characters of what the message quotes are escaped (see {@link PrintableText}).
 */
public class OperationFailedException extends RuntimeException {
    public OperationFailedException(String message) {
        super(PrintableText.keepingLines(message));
    }

    public OperationFailedException(String message, Throwable cause) {
        super(PrintableText.keepingLines(message), cause);
    }
}
