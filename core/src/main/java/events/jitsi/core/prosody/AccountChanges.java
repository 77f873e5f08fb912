package events.jitsi.core.prosody;

/**
 * Registering and removing Prosody accounts, whichever way Prosody is reached: prosodyctl in its container
 * ({@link ProsodyAccounts}) or the meeting's XMPP endpoint as an admin ({@link XmppAccounts}).
 */
public interface AccountChanges {
    /** Creates the account or, when it exists, changes its password. */
    AccountResult register(String user, char[] password);

    AccountResult unregister(String user);

    /** Where the changes are made, for logs: a container, this machine, or an endpoint and admin. */
    String describe();
}
