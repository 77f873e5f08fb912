package events.jitsi.core;

/** The operation was valid but did not succeed (a rollout failed, a command on the host failed); the CLI exits 1. */
public class OperationFailedException extends RuntimeException {
    public OperationFailedException(String message) {
        super(message);
    }

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
