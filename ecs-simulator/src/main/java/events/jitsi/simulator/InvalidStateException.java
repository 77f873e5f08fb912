package events.jitsi.simulator;

/** A simulator state file (or tree) the simulator cannot start from; the message names the key and what is wrong. */
public final class InvalidStateException extends RuntimeException {
    public InvalidStateException(String message) {
        super(message);
    }
}
