package events.jitsi.core;

/**
 * Text that came from a user or a file, made safe to print in a terminal or a Jenkins log: every character that is
 * not visible (controls, bidi overrides such as U+202E, the Unicode line and paragraph separators, zero-width and
 * other format characters, private-use, unassigned and lone surrogate code points) is written as its escape
 * {@code \u202E}, so a refused name cannot reorder, hide or fake a line of the log around it.
 */
public final class PrintableText {
    private PrintableText() {
    }

    /** Every invisible character escaped, line breaks included: for a value shown inside a sentence. */
    public static String of(String text) {
        return escape(text, false);
    }

    /** The same, but a message's own line breaks (and tabs) kept: for a whole message that may span lines. */
    public static String keepingLines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLines) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            boolean kept = keepLines && (c == '\n' || c == '\t');
            if (!kept && invisible(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(c > 0xFFFF ? String.format("\\U%08X", c) : String.format("\\u%04X", c));
            } else if (out != null) {
                out.appendCodePoint(c);
            }
            i += width;
        }
        return out == null ? text : out.toString();
    }

    private static boolean invisible(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED -> true;
            default -> false;
        };
    }
}
