package events.jitsi.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP server on loopback that answers the ECS JSON 1.1 protocol
 * ({@code X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>}) from an {@link EcsModel}, so that the real
 * AWS SDK client can be tested against it. It also injects faults (throttling, 5xx) and counts the calls it got.
 */
public final class EcsSimulator implements AutoCloseable {
    private static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A fault answered instead of the operation's result. */
    public enum Fault {
        THROTTLING(400, "ThrottlingException", "Rate exceeded"),
        /** What a caller without the IAM permission gets: not retried by the SDK. */
        ACCESS_DENIED(400, "AccessDeniedException", "User is not authorized to perform this action"),
        SERVER_ERROR(500, "ServerException", "Service unavailable, please try again.");

        final int status;
        final String type;
        final String message;

        Fault(int status, String type, String message) {
            this.status = status;
            this.type = type;
            this.message = message;
        }
    }

    private final EcsModel model;
    /** What a request signed for another region sees: that region's own, empty ECS (no cluster of the seed is there). */
    private final Map<String, EcsModel> otherRegions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Call> callLog = Collections.synchronizedList(new ArrayList<>());

    /**
     * One call as the simulator received it: operation, the cluster it named (null when it named none or the body was
     * not JSON), the simulated time, the fault it was answered with (null when the model answered), and the access key
     * id and region of its signature (null when it was not signed).
     */
    public record Call(String operation, String cluster, java.time.Instant at, Fault fault, String accessKeyId, String signedRegion) {
    }

    /** The access key id and region of a SigV4 Authorization header ({@code Credential=AKID/DATE/REGION/SERVICE/aws4_request}). */
    static String[] signature(String authorization) {
        if (authorization == null) {
            return new String[] {null, null};
        }
        int at = authorization.indexOf("Credential=");
        if (at < 0) {
            return new String[] {null, null};
        }
        String credential = authorization.substring(at + "Credential=".length()).split("[,\\s]", 2)[0];
        String[] parts = credential.split("/");
        return new String[] {parts[0], parts.length > 2 ? parts[2] : null};
    }
    private final Map<String, List<Fault>> pendingFaults = new ConcurrentHashMap<>();

    private EcsSimulator(EcsModel model, Clock clock, int port) {
        this.model = model;
        this.clock = clock;
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback port " + port + ": " + e.getMessage(), e);
        }
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "ecs-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a simulator with the seed topology (see {@code default-state.json}). */
    public static EcsSimulator startDefault(Clock clock) {
        return start(clock, defaultState());
    }

    public static EcsSimulator start(Clock clock, Path stateFile) {
        return start(clock, readState(stateFile));
    }

    public static EcsSimulator start(Clock clock, JsonNode state) {
        return start(clock, state, 0);
    }

    /** On a given loopback port (0: any free one). */
    public static EcsSimulator start(Clock clock, JsonNode state, int port) {
        return new EcsSimulator(new EcsModel(clock, state), clock, port);
    }

    /** The state in {@code stateFile}, as a JSON tree; a file that is not JSON is an {@link InvalidStateException} naming where. */
    public static JsonNode readState(Path stateFile) {
        try {
            return JSON.readTree(stateFile.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidStateException("state " + stateFile + " is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read simulator state " + stateFile, e);
        }
    }

    /** The seed topology, as a JSON tree a test may change before starting a simulator from it. */
    public static ObjectNode defaultState() {
        try (InputStream in = EcsSimulator.class.getResourceAsStream("default-state.json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public EcsModel model() {
        return model;
    }

    public String region() {
        return model.region();
    }

    /** Answers the next {@code times} calls of {@code operation} ("*" for any) with {@code fault}. */
    public void injectFault(String operation, Fault fault, int times) {
        List<Fault> queue = pendingFaults.computeIfAbsent(operation, k -> Collections.synchronizedList(new ArrayList<>()));
        for (int i = 0; i < times; i++) {
            queue.add(fault);
        }
    }

    public int faultsAnswered() {
        return (int) callLog().stream().filter(c -> c.fault() != null).count();
    }

    /** Every operation called so far, in order (faulted calls included). */
    public List<String> calls() {
        return callLog().stream().map(Call::operation).toList();
    }

    public long callCount(String operation) {
        return calls().stream().filter(operation::equals).count();
    }

    /** Every call so far, in order, with cluster, time and fault. */
    public List<Call> callLog() {
        synchronized (callLog) {
            return List.copyOf(callLog);
        }
    }

    public void resetCalls() {
        callLog.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                // Another AWS service asked of an ECS-only endpoint (EC2, Route 53...): not implemented here.
                respond(exchange, 501, error("UnknownOperationException", "The ECS simulator answers only ECS (a POST with X-Amz-Target: "
                        + TARGET_PREFIX + "<Operation>)."));
                return;
            }
            String operation = target.substring(TARGET_PREFIX.length());
            JsonNode request = null;
            try {
                request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                // Answered below, unless a fault comes first, as it would from a throttling front end.
            }
            Fault fault = nextFault(operation);
            String[] signed = signature(exchange.getRequestHeaders().getFirst("Authorization"));
            callLog.add(new Call(operation, request == null ? null : request.path("cluster").asText(null), clock.instant(), fault,
                    signed[0], signed[1]));
            if (fault != null) {
                respond(exchange, fault.status, error(fault.type, fault.message));
                return;
            }
            if (request == null) {
                respond(exchange, 400, error("SerializationException", "Request body is not valid JSON."));
                return;
            }
            EcsModel answering = signed[1] == null || signed[1].equals(model.region()) ? model
                    : otherRegions.computeIfAbsent(signed[1], r -> new EcsModel(clock, EcsModel.emptyState(r, model.accountId())));
            try {
                respond(exchange, 200, JSON.writeValueAsBytes(answering.call(operation, request)));
            } catch (EcsError e) {
                respond(exchange, e.httpStatus(), error(e.type(), e.getMessage()));
            } catch (RuntimeException e) {
                respond(exchange, 500, error("ServerException", "Simulator failure: " + e));
            }
        }
    }

    private Fault nextFault(String operation) {
        for (String key : List.of(operation, "*")) {
            List<Fault> queue = pendingFaults.get(key);
            if (queue != null) {
                synchronized (queue) {
                    if (!queue.isEmpty()) {
                        return queue.remove(0);
                    }
                }
            }
        }
        return null;
    }

    private static byte[] error(String type, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("__type", type);
        n.put("message", message);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
