package events.jitsi.core.prosody;

/**
 * What happened to an account. {@code existedBefore} is null when it could not be told (the account file was not
 * found where the configuration says data lives).
 */
public record AccountResult(String action, String jid, Boolean existedBefore, String target, String message) {
}
