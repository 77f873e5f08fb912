package events.jitsi.simulator;

/** An error that the simulator answers the way ECS does: HTTP status, {@code __type} and {@code message}. */
public final class EcsError extends RuntimeException {
    private final String type;
    private final int httpStatus;

    public EcsError(String type, String message) {
        this(type, message, 400);
    }

    public EcsError(String type, String message, int httpStatus) {
        super(message);
        this.type = type;
        this.httpStatus = httpStatus;
    }

    public String type() {
        return type;
    }

    public int httpStatus() {
        return httpStatus;
    }

    static EcsError invalidParameter(String message) {
        return new EcsError("InvalidParameterException", message);
    }

    static EcsError client(String message) {
        return new EcsError("ClientException", message);
    }
}
