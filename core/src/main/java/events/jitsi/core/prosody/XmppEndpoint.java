package events.jitsi.core.prosody;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.UrlCredentials;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where the meeting's Prosody answers XMPP: the WebSocket ({@code wss://HOST/xmpp-websocket}, RFC 7395) or BOSH
 * ({@code https://HOST/http-bind}) endpoint docker-jitsi-meet's web container proxies to Prosody, or Prosody's own
 * client port ({@code xmpp://HOST:5222}, with STARTTLS). An admin password crosses it, so an endpoint without TLS
 * ({@code ws://}, {@code http://}, TCP without STARTTLS) is accepted only on the loopback interface.
 */
public record XmppEndpoint(URI uri, Transport transport, boolean encrypted) {
    public enum Transport { WEBSOCKET, BOSH, TCP }

    public static final int DEFAULT_CLIENT_PORT = 5222;

    public static XmppEndpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("The XMPP endpoint is empty: give e.g. wss://meet.example.org/xmpp-websocket.");
        }
        URI uri;
        try {
            uri = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("'" + UrlCredentials.shown(text) + "' is not a URL: give the meeting's XMPP endpoint, e.g. "
                    + "wss://meet.example.org/xmpp-websocket or https://meet.example.org/http-bind.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new InvalidInputException("'" + UrlCredentials.shown(text) + "' is not an XMPP endpoint: give scheme and host, no user "
                    + "or password (those come from the admin credential), e.g. wss://meet.example.org/xmpp-websocket.");
        }
        XmppEndpoint endpoint = switch (scheme) {
            case "wss" -> new XmppEndpoint(uri, Transport.WEBSOCKET, true);
            case "ws" -> new XmppEndpoint(uri, Transport.WEBSOCKET, false);
            case "https" -> new XmppEndpoint(uri, Transport.BOSH, true);
            case "http" -> new XmppEndpoint(uri, Transport.BOSH, false);
            // STARTTLS is required, except on this machine, where a test Prosody has no certificate.
            case "xmpp" -> new XmppEndpoint(uri, Transport.TCP, !loopback(uri.getHost()));
            default -> throw new InvalidInputException("'" + UrlCredentials.shown(text) + "': the XMPP endpoint must start with wss:// "
                    + "(WebSocket), https:// (BOSH) or xmpp:// (port 5222 with STARTTLS).");
        };
        if (!endpoint.encrypted() && !loopback(uri.getHost())) {
            throw new InvalidInputException("'" + text + "' is not encrypted: the admin password would cross the network in clear. Use "
                    + "wss://, https:// or xmpp:// (STARTTLS); an unencrypted endpoint is accepted only on this machine (127.0.0.1).");
        }
        return endpoint;
    }

    /** The port to connect to: the URL's, else the scheme's default. */
    public int port() {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return switch (transport) {
            case TCP -> DEFAULT_CLIENT_PORT;
            case WEBSOCKET, BOSH -> encrypted ? 443 : 80;
        };
    }

    /** The path of a BOSH or WebSocket endpoint ({@code /http-bind}, {@code /xmpp-websocket}). */
    public String path() {
        return uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    }

    /** "localhost" or a loopback address written as such; a name is never resolved to decide. */
    static boolean loopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
