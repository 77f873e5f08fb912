package events.jitsi.testbed;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Debian's real Prosody, running on loopback with a configuration of the test's own: WebSocket and BOSH on an HTTP
 * port (as docker-jitsi-meet's web container proxies them), the client port, mod_admin_adhoc, and an admin account
 * created with prosodyctl. As docker-jitsi-meet does, it treats the proxied WebSocket and BOSH as secure.
 */
public final class LocalProsody implements AutoCloseable {
    public static final String PROSODYCTL = "/usr/bin/prosodyctl";
    public static final String DOMAIN = "meet.jitsi";
    public static final String ADMIN = "focus";
    public static final String ADMIN_PASSWORD = "admin 'pass' \"word\" ✓";
    public static final String OTHER = "guest";
    public static final String OTHER_PASSWORD = "not an admin";

    public final Path root;
    public final Path config;
    public final Path data;
    public final int httpPort;
    public final int clientPort;
    private final Process process;

    public LocalProsody(Path root) throws IOException, InterruptedException {
        this(root, true);
    }

    /** @param adminCommands whether mod_admin_adhoc is loaded (a server without it must be refused clearly) */
    public LocalProsody(Path root, boolean adminCommands) throws IOException, InterruptedException {
        this.root = root;
        this.data = Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("certs"));
        this.config = root.resolve("prosody.cfg.lua");
        this.httpPort = freePort();
        this.clientPort = freePort();
        Files.writeString(config, String.join("\n",
                "-- written by the test; prosody as root would otherwise switch to the prosody user",
                "run_as_root = true",
                "pidfile = \"" + root.resolve("prosody.pid") + "\"",
                "data_path = \"" + data + "\"",
                "certificates = \"" + root.resolve("certs") + "\"",
                "admins = { \"" + ADMIN + "@" + DOMAIN + "\" }",
                "modules_enabled = { \"saslauth\", \"disco\", \"ping\", \"websocket\", \"bosh\"" + (adminCommands ? ", \"admin_adhoc\"" : "") + " }",
                "modules_disabled = { \"s2s\", \"tls\" }",
                "authentication = \"internal_hashed\"",
                "storage = \"internal\"",
                "interfaces = { \"127.0.0.1\" }",
                "c2s_ports = { " + clientPort + " }",
                "s2s_ports = { }",
                "c2s_direct_tls_ports = { }",
                "http_ports = { " + httpPort + " }",
                "http_interfaces = { \"127.0.0.1\" }",
                "https_ports = { }",
                "http_default_host = \"" + DOMAIN + "\"",
                "c2s_require_encryption = false",
                "allow_unencrypted_plain_auth = true",
                "consider_websocket_secure = true",
                "consider_bosh_secure = true",
                "log = { { levels = { min = \"warn\" }, to = \"file\", filename = \"" + root.resolve("prosody.log") + "\" } }",
                "VirtualHost \"" + DOMAIN + "\"", ""));
        prosodyctl("register", ADMIN, ADMIN_PASSWORD);
        prosodyctl("register", OTHER, OTHER_PASSWORD);
        this.process = new ProcessBuilder("prosody", "--config", config.toString(), "-F")
                .redirectErrorStream(true).redirectOutput(root.resolve("prosody.out").toFile()).start();
        awaitListening(httpPort);
        awaitListening(clientPort);
    }

    public String websocket() {
        return "ws://127.0.0.1:" + httpPort + "/xmpp-websocket";
    }

    public String bosh() {
        return "http://127.0.0.1:" + httpPort + "/http-bind";
    }

    public String tcp() {
        return "xmpp://127.0.0.1:" + clientPort;
    }

    public boolean accountExists(String user) {
        return Files.exists(data.resolve("meet%2ejitsi").resolve("accounts").resolve(encode(user) + ".dat"));
    }

    public String log() throws IOException {
        Path log = root.resolve("prosody.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Whether Debian's prosody package is installed here. */
    public static boolean available() {
        return Files.isExecutable(Path.of(PROSODYCTL)) && Files.isExecutable(Path.of("/usr/bin/prosody"));
    }

    /** Prosody's file-name encoding: every byte that is not a letter or digit becomes %xx. */
    private static String encode(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            sb.append(Character.isLetterOrDigit(c) && c < 128 ? String.valueOf(c) : String.format("%%%02x", b & 0xff));
        }
        return sb.toString();
    }

    private void prosodyctl(String command, String user, String password) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PROSODYCTL, "--config", config.toString(), command, user, DOMAIN)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((password + "\n" + password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("prosodyctl " + command + " " + user + " failed");
        }
    }

    private void awaitListening(int port) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prosody exited: " + Files.readString(root.resolve("prosody.out")) + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("prosody did not listen on " + port + " within 30 s: " + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
