package events.jitsi.core.verify;

/**
 * One verification check: where (environment, and the service or "drift"), what, and how it went. A failure's
 * message says what is wrong; a pass's message what was seen.
 */
public record Check(String environment, String subject, String name, Status status, String message, long millis) {
    public enum Status { PASSED, FAILED, SKIPPED }

    public static Check passed(String environment, String subject, String name, String message) {
        return new Check(environment, subject, name, Status.PASSED, message, 0);
    }

    public static Check failed(String environment, String subject, String name, String message) {
        return new Check(environment, subject, name, Status.FAILED, message, 0);
    }

    public Check took(long millis) {
        return new Check(environment, subject, name, status, message, millis);
    }
}
