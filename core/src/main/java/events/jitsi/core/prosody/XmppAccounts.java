package events.jitsi.core.prosody;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;
import org.igniterealtime.jbosh.HTTPSender;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.bosh.BOSHConfiguration;
import org.jivesoftware.smack.bosh.XMPPBOSHConnection;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnection;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnectionConfiguration;
import org.jivesoftware.smack.fsm.StateMachineException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.websocket.XmppWebSocketTransportModuleDescriptor;
import org.jivesoftware.smackx.commands.AdHocCommand;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.commands.AdHocCommandNote;
import org.jivesoftware.smackx.commands.AdHocCommandResult;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jxmpp.jid.impl.JidCreate;
import org.minidns.dnsname.DnsName;
import org.jxmpp.stringprep.XmppStringprepException;

import java.io.IOException;
import java.nio.CharBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Registers and removes Prosody accounts over XMPP, with the ad-hoc commands of XEP-0133 (Service Administration)
 * that Prosody's stock {@code mod_admin_adhoc} answers, as one of the installation's admins, through the meeting's own
 * endpoint: no shell, agent or Docker on the host. {@code register} creates the account or, when it exists, changes
 * its password (as {@code prosodyctl register} does), then logs in as the account on a second connection to prove
 * it; {@code unregister} deletes it ({@link #loginRefused} proves that for a caller who knows the password).
 * Passwords are checked against Prosody's rules first ({@link ProsodyPassword}) and are never in a message.
 */
public final class XmppAccounts implements AccountChanges {
    /** How long one XMPP exchange with Prosody may take, by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final String ADD_USER = "http://jabber.org/protocol/admin#add-user";
    static final String CHANGE_PASSWORD = "http://jabber.org/protocol/admin#change-user-password";
    static final String DELETE_USER = "http://jabber.org/protocol/admin#delete-user";

    private final XmppEndpoint endpoint;
    private final String domain;
    private final String admin;
    private final String adminDomain;
    private final char[] adminPassword;
    private final Duration timeout;

    /**
     * @param admin the admin's account name on {@code domain}, or a full JID on it
     * @param adminPassword kept by reference, not copied: the caller wipes it when done
     */
    public XmppAccounts(XmppEndpoint endpoint, String domain, String admin, char[] adminPassword, Duration timeout) {
        this.endpoint = endpoint;
        this.domain = domain == null || domain.isBlank() ? ProsodyAccounts.DEFAULT_DOMAIN : domain.toLowerCase(Locale.ROOT);
        if (!ProsodyAccounts.DOMAIN.matcher(this.domain).matches()) {
            throw new InvalidInputException("'" + this.domain + "' is not an XMPP domain such as meet.jitsi.");
        }
        if (admin == null || admin.isBlank()) {
            throw new InvalidInputException("No XMPP admin account given: name one of the accounts in Prosody's admins = { }.");
        }
        // An admin of the VirtualHost, or a global admin, who may live on another domain (auth.meet.jitsi).
        String adminUser = admin.contains("@") ? admin.substring(0, admin.indexOf('@')) : admin;
        this.adminDomain = admin.contains("@") ? admin.substring(admin.indexOf('@') + 1).toLowerCase(Locale.ROOT) : this.domain;
        if (!ProsodyAccounts.DOMAIN.matcher(this.adminDomain).matches()) {
            throw new InvalidInputException("The admin '" + admin + "' is not an account name or a JID such as focus@auth.meet.jitsi.");
        }
        this.admin = XmppUsername.validate(adminUser);
        if (adminPassword == null || adminPassword.length == 0) {
            throw new InvalidInputException("The admin password of " + this.admin + "@" + adminDomain + " is empty.");
        }
        this.adminPassword = adminPassword;
        this.timeout = timeout;
    }

    @Override
    public String describe() {
        return endpoint + " as " + admin + "@" + adminDomain;
    }

    /** Creates the account or changes its password, then logs in as it. */
    @Override
    public AccountResult register(String user, char[] password) {
        XmppUsername.validate(user);
        ProsodyPassword.validate(password);
        String jid = user + "@" + domain;
        boolean existed;
        AbstractXMPPConnection connection = connectAsAdmin();
        try {
            Outcome added = run(connection, ADD_USER, form -> {
                form.setAnswer("accountjid", jid);
                form.setAnswer("password", CharBuffer.wrap(password));
                form.setAnswer("password-verify", CharBuffer.wrap(password));
            });
            existed = added.error() != null && added.error().contains("already exists");
            if (existed) {
                Outcome changed = run(connection, CHANGE_PASSWORD, form -> {
                    form.setAnswer("accountjid", jid);
                    form.setAnswer("password", CharBuffer.wrap(password));
                });
                changed.orRefuse("change the password of " + jid);
            } else {
                added.orRefuse("create " + jid);
            }
        } finally {
            connection.disconnect();
        }
        String loginProblem = loginProblem(user, password);
        if (loginProblem != null) {
            throw new OperationFailedException((existed ? "Changed the password of " : "Created ") + jid + " over " + endpoint
                    + ", but logging in as it failed: " + loginProblem);
        }
        String message = (existed ? "Changed the password of " + jid : "Registered " + jid) + " and logged in as it.";
        return new AccountResult("register", jid, existed, describe(), message);
    }

    /** Deletes the account, then checks that logging in as it is refused. */
    @Override
    public AccountResult unregister(String user) {
        XmppUsername.validate(user);
        String jid = user + "@" + domain;
        AbstractXMPPConnection connection = connectAsAdmin();
        try {
            Outcome deleted = run(connection, DELETE_USER, form -> form.setAnswer("accountjids", List.of(jid)));
            deleted.orRefuse("delete " + jid);
            if (deleted.info() == null || !deleted.info().contains("successfully deleted")) {
                throw new InvalidInputException("There is no account " + jid + " to unregister; nothing was changed.");
            }
        } finally {
            connection.disconnect();
        }
        return new AccountResult("unregister", jid, true, describe(), "Removed the account " + jid + ".");
    }

    /** What Prosody answered: the notes of a completed command. */
    private record Outcome(String info, String error) {
        void orRefuse(String what) {
            if (error != null) {
                throw new InvalidInputException("Prosody refused to " + what + ": " + error + "; nothing was changed.");
            }
        }
    }

    private interface FormFilling {
        void fill(FillableForm form) throws XmppStringprepException;
    }

    private Outcome run(AbstractXMPPConnection connection, String node, FormFilling filling) {
        String name = node.substring(node.indexOf('#') + 1);
        try {
            AdHocCommand command = AdHocCommandManager.getInstance(connection).getRemoteCommand(JidCreate.domainBareFrom(domain), node);
            AdHocCommandResult.StatusExecuting started = command.execute().asExecutingOrThrow();
            FillableForm form = started.getFillableForm();
            filling.fill(form);
            AdHocCommandResult result = command.complete(form.getSubmitForm());
            List<String> info = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (AdHocCommandNote note : result.getResponse().getNotes()) {
                (note.getType() == AdHocCommandNote.Type.error ? errors : info).add(note.getValue().strip().replace('\n', ' '));
            }
            return new Outcome(info.isEmpty() ? null : String.join("; ", info), errors.isEmpty() ? null : String.join("; ", errors));
        } catch (XMPPException.XMPPErrorException e) {
            StanzaError.Condition condition = e.getStanzaError().getCondition();
            if (condition == StanzaError.Condition.forbidden || condition == StanzaError.Condition.not_authorized) {
                throw new InvalidInputException(admin + "@" + adminDomain + " may not run " + name + " on " + domain
                        + ": make it an admin (admins = { \"" + admin + "@" + adminDomain + "\" } in Prosody's configuration); nothing was changed.");
            }
            if (condition == StanzaError.Condition.item_not_found || condition == StanzaError.Condition.feature_not_implemented
                    || condition == StanzaError.Condition.service_unavailable) {
                throw new InvalidInputException("Prosody at " + endpoint + " does not offer " + node + ": add \"admin_adhoc\" to "
                        + "modules_enabled in its configuration; nothing was changed.");
            }
            throw new InvalidInputException("Prosody refused " + name + ": " + condition
                    + (e.getStanzaError().getDescriptiveText() == null ? "" : " (" + e.getStanzaError().getDescriptiveText() + ")")
                    + "; nothing was changed.");
        } catch (XmppStringprepException e) {
            throw new InvalidInputException("'" + domain + "' is not a valid XMPP address part: " + e.getMessage());
        } catch (SmackException.NoResponseException e) {
            throw new OperationFailedException("Prosody at " + endpoint + " did not answer " + name + " within " + timeout.toSeconds()
                    + " s; whether it was done is unknown: run the same command again.");
        } catch (SmackException.NotConnectedException e) {
            throw new OperationFailedException("The connection to " + endpoint + " closed during " + name
                    + "; whether it was done is unknown: run the same command again.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("Interrupted during " + name + " on " + endpoint + ".");
        }
    }

    private AbstractXMPPConnection connectAsAdmin() {
        String problem = null;
        AbstractXMPPConnection connection = connection(admin, adminDomain, adminPassword);
        try {
            connection.connect();
            connection.login();
            return connection;
        } catch (SASLErrorException e) {
            problem = "the admin " + admin + "@" + adminDomain + " could not log in (" + e.getSASLFailure().getSASLErrorString()
                    + "): check the admin credential";
        } catch (SmackException | IOException | XMPPException e) {
            problem = "cannot reach Prosody's XMPP endpoint " + endpoint + " (" + reason(e) + "): check the endpoint and that the "
                    + "web container proxies it";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted while connecting to " + endpoint;
        } catch (IllegalArgumentException e) {
            problem = "cannot connect to " + endpoint + ": " + e.getMessage();
        }
        connection.disconnect();
        throw new InvalidInputException(capitalized(problem) + "; nothing was changed.");
    }

    /** Why logging in as the account failed, or null when it worked. */
    private String loginProblem(String user, char[] password) {
        AbstractXMPPConnection connection = connection(user, domain, password);
        try {
            connection.connect();
            connection.login();
            return null;
        } catch (SASLErrorException e) {
            return e.getSASLFailure().getSASLErrorString();
        } catch (SmackException | IOException | XMPPException e) {
            return reason(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            connection.disconnect();
        }
    }

    /** Whether logging in as the account is refused (after unregister), for callers that want to prove it. */
    public boolean loginRefused(String user, char[] password) {
        return loginProblem(user, password) != null;
    }

    private AbstractXMPPConnection connection(String user, String xmppDomain, char[] password) {
        try {
            String secret = new String(password);
            AbstractXMPPConnection connection = switch (endpoint.transport()) {
                case WEBSOCKET -> {
                    ModularXmppClientToServerConnectionConfiguration.Builder builder = ModularXmppClientToServerConnectionConfiguration.builder()
                            .setXmppDomain(xmppDomain).setUsernameAndPassword(user, secret).setSendPresence(false)
                            .setSecurityMode(endpoint.encrypted() ? SecurityMode.required : SecurityMode.disabled)
                            .removeAllModules();
                    builder.addModule(XmppWebSocketTransportModuleDescriptor.getBuilder(builder)
                            .explicitlySetWebSocketEndpointAndDiscovery(endpoint.uri(), false).build());
                    yield new ModularXmppClientToServerConnection(builder.build());
                }
                case BOSH -> {
                    // jbosh's own sender accepts a certificate for any host name; ours checks it.
                    System.setProperty(HTTPSender.class.getName(), VerifiedBoshSender.class.getName());
                    yield new XMPPBOSHConnection(BOSHConfiguration.builder().setXmppDomain(xmppDomain).setUsernameAndPassword(user, secret)
                            // As a DNS name even when it is an address: Smack writes an InetAddress into the URL as "/127.0.0.1".
                            .setHost(DnsName.from(endpoint.uri().getHost())).setPort(endpoint.port()).setFile(endpoint.path())
                            .setUseHttps(endpoint.encrypted()).setSendPresence(false)
                            // BOSH is encrypted by HTTPS, not by STARTTLS inside it.
                            .setSecurityMode(SecurityMode.disabled).build());
                }
                case TCP -> new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder().setXmppDomain(xmppDomain)
                        .setUsernameAndPassword(user, secret).setHost(endpoint.uri().getHost()).setPort(endpoint.port())
                        .setSendPresence(false).setConnectTimeout((int) timeout.toMillis())
                        .setSecurityMode(endpoint.encrypted() ? SecurityMode.required : SecurityMode.ifpossible).build());
            };
            connection.setReplyTimeout(timeout.toMillis());
            return connection;
        } catch (XmppStringprepException e) {
            throw new InvalidInputException("'" + xmppDomain + "' is not a valid XMPP domain: " + e.getMessage());
        }
    }

    private String reason(Exception e) {
        if (e instanceof StateMachineException.SmackStateGraphDeadEndException deadEnd) {
            // Smack's message names its state graph; what failed on the way is what a person needs.
            java.util.Set<String> failures = new java.util.LinkedHashSet<>();
            deadEnd.getFailedStates().values().forEach(f -> failures.add(String.valueOf(f).strip()));
            return failures.isEmpty() ? "no connection could be opened" : String.join("; ", failures);
        }
        String message = e.getMessage();
        if (message != null && message.startsWith("Timeout reached for the connection")) {
            return "no answer within " + timeout.toSeconds() + " s";
        }
        Throwable cause = e.getCause();
        while ((message == null || message.isBlank()) && cause != null) {
            message = cause.getMessage();
            cause = cause.getCause();
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip().replaceAll("\\s+", " "));
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
