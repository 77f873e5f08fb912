package events.jitsi.core.prosody;

/** What happened to an account; {@code existedBefore} from the account file where the configuration keeps data. */
public record AccountResult(String action, String jid, boolean existedBefore, String target, String message) {
}
