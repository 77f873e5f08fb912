package events.jitsi.testbed;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * moto's server ({@code python3 -m moto.server}) on a free loopback port, in a process of its own, stopped on close.
 * All AWS services answer on one endpoint; {@link #reset()} empties them between tests.
 */
public final class MotoServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /** Whether this machine's python3 has moto's server (to say so, not to skip: the tests need it). */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder(python(), "-c", "import moto.server, flask").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The interpreter: EVENTS_JITSI_PYTHON, else python3. */
    private static String python() {
        String p = System.getenv("EVENTS_JITSI_PYTHON");
        return p == null || p.isBlank() ? "python3" : p;
    }

    public static MotoServer start() throws IOException {
        if (!available()) {
            throw new IllegalStateException("moto is not installed for " + python() + ": run `pip install 'moto[server]'` (bash .ci/run "
                    + "does), or set EVENTS_JITSI_PYTHON to a Python that has it.");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("moto-", ".log");
        Process process = new ProcessBuilder(List.of(python(), "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port), log);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!server.answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = Files.readString(log);
                server.close();
                throw new IllegalStateException("moto did not start on port " + port + ": " + output.strip());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.close();
                throw new IllegalStateException("interrupted while starting moto", e);
            }
        }
        return server;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Forgets every resource of every service (moto's own API). */
    public void reset() throws IOException {
        HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/reset").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().close();
        int code = c.getResponseCode();
        c.disconnect();
        if (code != 200) {
            throw new IOException("moto did not reset: HTTP " + code);
        }
    }

    /**
     * Sets how one of moto's modelled states moves on (moto's state manager): e.g. its ECS tasks walk from RUNNING to
     * STOPPED one step per DescribeTasks by default, where a service's tasks in AWS keep running.
     */
    public static void setTransition(URI endpoint, String model, String transitionJson) throws IOException {
        HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/state-manager/set-transition").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (java.io.OutputStream out = c.getOutputStream()) {
            out.write(("{\"model_name\": \"" + model + "\", \"transition\": " + transitionJson + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        int code = c.getResponseCode();
        c.disconnect();
        if (code / 100 != 2) {
            throw new IOException("moto did not set the transition of " + model + ": HTTP " + code);
        }
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/data.json").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int code = c.getResponseCode();
            c.getInputStream().readAllBytes();
            c.disconnect();
            return code == 200;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (IOException ignored) {
            // a temporary log file left behind does no harm
        }
    }

    @Override
    public String toString() {
        return "moto on " + endpoint;
    }
}
