package events.jitsi.jenkins;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;
import events.jitsi.core.PrintableText;
import hudson.AbortException;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Ends a step the way Jenkins shows it best: as an AbortException, whose message alone goes to the build log, with
 * no stack trace. The engine's errors already say what went wrong and what to do; anything unexpected is named in
 * one line and its stack trace goes to the controller's system log for whoever debugs it. Invisible characters of
 * what a message quotes are escaped so that it cannot reorder or fake a line of the log.
 */
final class Failures {
    private static final Logger LOGGER = Logger.getLogger(Failures.class.getName());

    private Failures() {
    }

    static AbortException forJenkins(String step, Throwable e) {
        if (e instanceof AbortException abort) {
            return PrintableText.keepingLines(abort.getMessage()).equals(abort.getMessage()) ? abort
                    : new AbortException(PrintableText.keepingLines(abort.getMessage()));
        }
        if (e instanceof InvalidInputException || e instanceof OperationFailedException) {
            return new AbortException(e.getMessage());
        }
        if (e instanceof SdkException) {
            return new AbortException(step + ": AWS said: " + PrintableText.keepingLines(e.getMessage()));
        }
        LOGGER.log(Level.WARNING, step + " failed unexpectedly", e);
        return new AbortException(step + " failed: " + PrintableText.keepingLines(String.valueOf(e))
                + " (the stack trace is in the Jenkins system log)");
    }
}
