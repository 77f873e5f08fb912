package events.jitsi.core.prosody;

import org.igniterealtime.jbosh.AbstractBody;
import org.igniterealtime.jbosh.BOSHClientConfig;
import org.igniterealtime.jbosh.BOSHException;
import org.igniterealtime.jbosh.CMSessionParams;
import org.igniterealtime.jbosh.HTTPResponse;
import org.igniterealtime.jbosh.HTTPSender;
import org.igniterealtime.jbosh.StaticBody;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * BOSH's HTTP exchanges made with the JDK's HTTP client, which checks the server's certificate and its host name.
 * jbosh's own sender (Apache HttpClient 4) accepts a certificate for any host name, and the admin password of
 * {@link XmppAccounts} crosses this connection. jbosh picks its sender by the system property named after the
 * {@link HTTPSender} interface, which {@link XmppAccounts} sets to this class before it opens a BOSH connection.
 */
public final class VerifiedBoshSender implements HTTPSender {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private volatile HttpClient client;
    private volatile BOSHClientConfig config;

    /** jbosh creates its sender by reflection. */
    public VerifiedBoshSender() {
    }

    @Override
    public void init(BOSHClientConfig sessionConfig) {
        config = sessionConfig;
        client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    @Override
    public void destroy() {
        client = null;
        config = null;
    }

    @Override
    public HTTPResponse send(CMSessionParams params, AbstractBody body) {
        HttpClient http = client;
        BOSHClientConfig cfg = config;
        if (http == null || cfg == null) {
            return new Response(CompletableFuture.failedFuture(new IllegalStateException("the BOSH session is closed")));
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(cfg.getURI())
                    .header("Content-Type", "text/xml; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toXML(), StandardCharsets.UTF_8));
            cfg.getHttpHeaders().forEach(request::header);
            return new Response(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (RuntimeException e) {
            // jbosh waits for every exchange it started to get an answer: a failure must be that answer, not thrown.
            return new Response(CompletableFuture.failedFuture(e));
        }
    }

    /** One exchange; jbosh asks for the answer when it needs it and may abort it. */
    private static final class Response implements HTTPResponse {
        private final CompletableFuture<HttpResponse<byte[]>> exchange;

        Response(CompletableFuture<HttpResponse<byte[]>> exchange) {
            this.exchange = exchange;
        }

        @Override
        public void abort() {
            exchange.cancel(true);
        }

        @Override
        public int getHTTPStatus() throws InterruptedException, BOSHException {
            return answer().statusCode();
        }

        @Override
        public AbstractBody getBody() throws InterruptedException, BOSHException {
            return StaticBody.fromString(new String(answer().body(), StandardCharsets.UTF_8));
        }

        private HttpResponse<byte[]> answer() throws InterruptedException, BOSHException {
            try {
                return exchange.get();
            } catch (ExecutionException e) {
                throw new BOSHException("Could not obtain response: " + e.getCause(), e.getCause());
            } catch (CancellationException e) {
                throw new BOSHException("HTTP request aborted");
            }
        }
    }
}
