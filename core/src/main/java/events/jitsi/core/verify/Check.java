package events.jitsi.core.verify;

/**
 * One verification check: where (environment, and the service or "drift"), what, and how it went. A failure's
 * message says what is wrong; a pass's message what was seen; an error's why the check could not run (an AWS error,
 * an unreadable section): nothing is known of what it checks.
 */
public record Check(String environment, String subject, String name, Status status, String message, long millis) {
    public enum Status { PASSED, FAILED, SKIPPED, ERROR }

    public static Check error(String environment, String subject, String name, String message) {
        return new Check(environment, subject, name, Status.ERROR, message, 0);
    }

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
