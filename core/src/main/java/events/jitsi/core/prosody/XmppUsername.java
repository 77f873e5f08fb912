package events.jitsi.core.prosody;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.PrintableText;

/**
 * The account names this tool registers: a conservative subset of XMPP localparts (RFC 7622) that Prosody stores
 * unchanged and that fits file storage: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit,
 * at most 64 characters.
 */
public final class XmppUsername {
    public static final int MAX_LENGTH = 64;

    private XmppUsername() {
    }

    /** Returns the name, or throws bad input that says which character is not allowed and where. */
    public static String validate(String user) {
        if (user == null || user.isEmpty()) {
            throw new InvalidInputException("The username is empty: give the account's name, e.g. moderator.");
        }
        if (user.length() > MAX_LENGTH) {
            throw new InvalidInputException("The username has " + user.length() + " characters; at most " + MAX_LENGTH + " are allowed.");
        }
        for (int i = 0; i < user.length(); ) {
            int c = user.codePointAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '.' || c == '_' || c == '-'));
            if (!allowed) {
                String character = new String(Character.toChars(c));
                String shown = Character.isWhitespace(c) || !PrintableText.of(character).equals(character)
                        ? String.format("U+%04X", c) : "'" + character + "'";
                String why = (c >= 'A' && c <= 'Z') ? " (use lower case: Prosody stores names in lower case)"
                        : (i == 0 && (c == '.' || c == '_' || c == '-')) ? " at the start" : "";
                throw new InvalidInputException("The username '" + PrintableText.of(user) + "' has " + shown + " at position " + (i + 1)
                        + ", which is not allowed" + why + ". Use lower-case letters, digits, '.', '_' and '-'.");
            }
            i += Character.charCount(c);
        }
        return user;
    }
}
