package events.jitsi.jenkins;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;
import hudson.AbortException;

/**
 * Ends a step the way Jenkins shows it best: the engine's errors already say what went wrong and what to do, so they
 * become an AbortException (its message alone in the log, no stack trace).
 */
final class Failures {
    private Failures() {
    }

    static Exception forJenkins(Throwable e) {
        if (e instanceof IllegalArgumentException && e.getCause() instanceof AbortException abort) {
            return abort;
        }
        if (e instanceof InvalidInputException || e instanceof OperationFailedException) {
            return new AbortException(e.getMessage());
        }
        if (e instanceof software.amazon.awssdk.core.exception.SdkException) {
            return new AbortException("AWS said: " + e.getMessage());
        }
        return e instanceof Exception x ? x : new Exception(e);
    }
}
