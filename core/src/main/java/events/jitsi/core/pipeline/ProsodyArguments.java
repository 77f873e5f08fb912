package events.jitsi.core.pipeline;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.prosody.XmppEndpoint;

import java.util.Map;
import java.util.Set;

/**
 * {@code prosodyRegister}'s arguments, checked once, here; the passwords are never among them (they come from
 * credentials). Two ways: {@code xmpp} (XEP-0133 over the meeting's XMPP endpoint as an admin, no agent; the default
 * when {@code endpoint} is given) and {@code docker} (prosodyctl in the container, on one of the cluster's hosts).
 */
public record ProsodyArguments(String credentialsId, String user, String domain, String config, String container, String cluster,
                               boolean local, boolean unregister, String via, String endpoint, String adminCredentialsId) {
    static final String STEP = "prosodyRegister";
    public static final Set<String> NAMES = Set.of("credentialsId", "user", "domain", "config", "container", "cluster", "local",
            "unregister", "via", "endpoint", "adminCredentialsId");

    public ProsodyArguments {
        credentialsId = StepArguments.blankToNull(credentialsId);
        user = StepArguments.blankToNull(user);
        domain = StepArguments.blankToNull(domain);
        config = StepArguments.blankToNull(config);
        container = StepArguments.blankToNull(container);
        cluster = StepArguments.blankToNull(cluster);
        endpoint = StepArguments.blankToNull(endpoint);
        adminCredentialsId = StepArguments.blankToNull(adminCredentialsId);
        via = StepArguments.blankToNull(via);
        if (via == null) {
            via = endpoint != null ? "xmpp" : "docker";
        } else if (!via.equals("xmpp") && !via.equals("docker")) {
            throw new InvalidInputException(STEP + ": via is '" + via + "'; give 'xmpp' (the meeting's XMPP endpoint, no agent) or "
                    + "'docker' (prosodyctl in the container, on an agent that is one of the cluster's hosts).");
        }
        if (via.equals("xmpp")) {
            String dockerOnly = container != null ? "container" : cluster != null ? "cluster" : config != null ? "config" : null;
            if (dockerOnly != null) {
                throw new InvalidInputException(STEP + ": " + dockerOnly + " is for via: 'docker'; over XMPP give endpoint, "
                        + "domain and adminCredentialsId.");
            }
            if (endpoint == null) {
                throw new InvalidInputException(STEP + ": via: 'xmpp' needs endpoint, the meeting's XMPP endpoint such as "
                        + "wss://meet.example.org/xmpp-websocket (the environments file's xmpp.endpoint).");
            }
            XmppEndpoint.parse(endpoint);
        } else {
            if (endpoint != null || adminCredentialsId != null) {
                throw new InvalidInputException(STEP + ": endpoint and adminCredentialsId are for via: 'xmpp'.");
            }
            int places = (container != null ? 1 : 0) + (cluster != null ? 1 : 0) + (local ? 1 : 0);
            if (places != 1) {
                throw new InvalidInputException(STEP + ": say where prosodyctl runs with exactly one of container, cluster and local: true.");
            }
        }
    }

    public static ProsodyArguments of(Map<String, ?> named) {
        StepArguments a = new StepArguments(STEP, named, NAMES);
        return new ProsodyArguments(a.text("credentialsId"), a.text("user"), a.text("domain"), a.text("config"), a.text("container"),
                a.text("cluster"), a.flag("local"), a.flag("unregister"), a.text("via"), a.text("endpoint"), a.text("adminCredentialsId"));
    }

    public boolean overXmpp() {
        return via.equals("xmpp");
    }

    /** The arguments given, by their Pipeline names, as plain JDK values (what the plugin sends to an agent). */
    public java.util.HashMap<String, Object> toMap() {
        return StepArguments.toMap(this);
    }
}
