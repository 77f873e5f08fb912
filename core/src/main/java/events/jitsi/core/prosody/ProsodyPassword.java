package events.jitsi.core.prosody;

import com.ongres.stringprep.Profile;
import com.ongres.stringprep.Stringprep;
import events.jitsi.core.InvalidInputException;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The passwords prosodyctl accepts, checked before it runs so that a password it would refuse is bad input (exit 2,
 * nothing changed) that names the rule, not a failed registration. Prosody prepares every password with SASLprep
 * (RFC 4013) and gives up on one of 1,024 UTF-8 bytes or more ("Password fails SASLprep"); the same rules are applied
 * here with the stringprep library. No message holds the password, a part of it, its length or the character that
 * breaks a rule: only the rule.
 */
public final class ProsodyPassword {
    /** Prosody prepares the password in a buffer of 1,024 bytes, its terminating zero included. */
    public static final int MAX_UTF8_BYTES = 1023;
    private static final Profile SASLPREP = Stringprep.getProvider("SASLprep");

    private ProsodyPassword() {
    }

    public static void validate(char[] password) {
        if (password == null || password.length == 0) {
            throw new InvalidInputException("The password is empty; Prosody would accept it, this tool does not.");
        }
        for (char c : password) {
            if (c == '\n' || c == '\r') {
                throw new InvalidInputException("The password has a line break; give it as one line.");
            }
        }
        if (utf8Length(password) > MAX_UTF8_BYTES) {
            throw new InvalidInputException("The password is longer than Prosody accepts: at most " + MAX_UTF8_BYTES
                    + " bytes in UTF-8 (1,023 ASCII characters); choose a shorter one.");
        }
        char[] prepared = null;
        try {
            prepared = SASLPREP.prepareQuery(password);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Prosody would refuse this password: " + rule(e.getMessage())
                    + " (SASLprep, RFC 4013). Leave out control, private-use and direction-changing characters.");
        } finally {
            if (prepared != null) {
                Arrays.fill(prepared, '\0');
            }
        }
    }

    /** The library's reason, without the code point it quotes ("Prohibited ASCII control "0x0009""), as a rule. */
    private static String rule(String message) {
        String reason = message == null ? "" : message.replaceAll("\\s*\"?0x[0-9A-Fa-f]+\"?", "").strip();
        if (reason.contains("RandALCat")) {
            return "it mixes right-to-left letters with other text as the bidirectional rule forbids (a right-to-left "
                    + "password must start and end with a right-to-left letter and hold no left-to-right letter)";
        }
        return "it has " + switch (reason) {
            case "Prohibited ASCII control" -> "an ASCII control character such as TAB or ESC";
            case "Prohibited non-ASCII control" -> "a non-ASCII control character such as the line separator U+2028";
            case "Prohibited control character" -> "a character that changes the display or direction of text, such as U+202E";
            case "Prohibited private use character" -> "a private-use character";
            case "Prohibited non-character code point" -> "a Unicode non-character";
            case "Prohibited surrogate code point" -> "a lone surrogate";
            case "Prohibited plain text code point" -> "a character inappropriate for plain text";
            case "Prohibited non-canonical code point" -> "a character inappropriate for canonical representation";
            case "Prohibited tagging character" -> "a language tag character";
            default -> "a character SASLprep forbids" + (reason.isEmpty() ? "" : " (" + reason + ")");
        };
    }

    private static int utf8Length(char[] password) {
        var bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        int length = bytes.remaining();
        if (bytes.hasArray()) {
            Arrays.fill(bytes.array(), (byte) 0);
        }
        return length;
    }
}
