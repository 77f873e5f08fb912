package events.jitsi.core.prosody;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an argument list (never a shell string) with optional stdin, and collects its exit code and output. */
final class HostCommand {
    record Outcome(int exitCode, String output) {
    }

    private HostCommand() {
    }

    static Outcome run(List<String> argv, byte[] stdin, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        // A password given to us in the environment is not the child's business.
        pb.environment().remove("PROSODY_PASSWORD");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            // Nothing ran: a setup problem on this host, not a failed operation.
            throw new InvalidInputException("Cannot run " + argv.get(0) + ": " + e.getMessage()
                    + " (is it installed and on PATH?); nothing was changed.", e);
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException e) {
                // The command may exit before reading its input; its exit code and output tell why.
            }
            // Read while waiting, so that a command that never ends cannot hold us past the timeout.
            java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (InputStream output = p.getInputStream()) {
                    return output.readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new OperationFailedException(argv.get(0) + " did not finish within " + timeout.toSeconds() + " s.");
            }
            return new Outcome(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new OperationFailedException("Interrupted while running " + argv.get(0) + ".", e);
        }
    }
}
