package events.jitsi.core;

/**
 * The input was wrong (an unknown service, revision or container, a malformed file...) and nothing was changed.
 * The message says what was wrong and what to do; the CLI exits 2 on it. Invisible characters of the input it quotes
 * are escaped (see {@link PrintableText}).
 */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(PrintableText.keepingLines(message));
    }

    public InvalidInputException(String message, Throwable cause) {
        super(PrintableText.keepingLines(message), cause);
    }
}
