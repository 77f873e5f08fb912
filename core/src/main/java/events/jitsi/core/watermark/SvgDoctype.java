package events.jitsi.core.watermark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DOCTYPE a design tool writes (Illustrator's "Save As SVG", CorelDRAW): the W3C SVG public identifier, which no
 * browser fetches, and an internal subset that only names constants ({@code <!ENTITY ns_ai "http://ns.adobe.com/...">})
 * used in namespace declarations. Such a DOCTYPE is resolved (the constants put in place) and left out; anything else
 * is refused: an external DTD of another origin, external or parameter entities, and every other declaration, since a
 * browser applies an internal {@code <!ATTLIST>}'s default attributes (an {@code onload} among them).
 */
final class SvgDoctype {
    /** The public identifiers of the W3C SVG DTDs, which browsers recognise and never load. */
    private static final Set<String> SVG_PUBLIC_IDS = Set.of("-//W3C//DTD SVG 1.1//EN", "-//W3C//DTD SVG 1.0//EN",
            "-//W3C//DTD SVG 20010904//EN", "-//W3C//DTD SVG 1.1 Tiny//EN", "-//W3C//DTD SVG 1.1 Basic//EN");
    private static final Pattern START = Pattern.compile("\\A(\\s*(<\\?xml[^?]*\\?>)?(\\s|<!--(?s:.*?)-->)*)<!DOCTYPE\\s+svg");
    private static final Pattern EXTERNAL = Pattern.compile("\\G\\s+(PUBLIC\\s+(\"[^\"]*\"|'[^']*')\\s+(\"[^\"]*\"|'[^']*')|SYSTEM\\s+(\"[^\"]*\"|'[^']*'))");
    private static final Pattern ENTITY = Pattern.compile("\\G\\s*<!ENTITY\\s+([A-Za-z_][A-Za-z0-9_.-]*)\\s+(\"([^\"<&%]*)\"|'([^'<&%]*)')\\s*>");
    private static final Pattern COMMENT = Pattern.compile("\\G\\s*<!--(?s:.*?)-->");
    private static final int MAX_VALUE = 1024;

    /** The document with its DOCTYPE resolved and removed (line numbers kept), or the reason it is refused. */
    record Resolved(String text, String problem, String leftOut) {
    }

    private SvgDoctype() {
    }

    static Resolved resolve(String text, int limit) {
        Matcher start = START.matcher(text);
        if (!start.find()) {
            return new Resolved(text, null, null);
        }
        int at = start.end();
        Matcher external = EXTERNAL.matcher(text).region(at, text.length());
        if (external.find()) {
            if (external.group(4) != null) {
                return refused("a DOCTYPE with a SYSTEM identifier names a file to load");
            }
            String publicId = external.group(2).substring(1, external.group(2).length() - 1);
            if (!SVG_PUBLIC_IDS.contains(publicId)) {
                return refused("the DOCTYPE names the DTD \"" + SvgSafety.abbreviate(publicId) + "\", not one of the W3C's SVG DTDs");
            }
            at = external.end();
        }
        Map<String, String> entities = new LinkedHashMap<>();
        int close = skipSpace(text, at);
        if (close < text.length() && text.charAt(close) == '[') {
            at = close + 1;
            while (true) {
                int next = skipSpace(text, at);
                if (next >= text.length()) {
                    return refused("the DOCTYPE is not closed");
                }
                if (text.charAt(next) == ']') {
                    at = next + 1;
                    break;
                }
                Matcher entity = ENTITY.matcher(text).region(at, text.length());
                Matcher comment = COMMENT.matcher(text).region(at, text.length());
                if (entity.find()) {
                    String value = entity.group(3) != null ? entity.group(3) : entity.group(4);
                    if (value.length() > MAX_VALUE) {
                        return refused("the DOCTYPE's entity '" + entity.group(1) + "' is longer than " + MAX_VALUE + " characters");
                    }
                    entities.put(entity.group(1), value);
                    at = entity.end();
                } else if (comment.find()) {
                    at = comment.end();
                } else {
                    String declaration = text.substring(next, Math.min(text.length(), next + 40)).replaceAll("\\s+", " ");
                    return refused("the DOCTYPE declares '" + declaration + "...': only constants (<!ENTITY name \"text\">) may be declared; "
                            + "a browser applies other declarations (default attributes among them)");
                }
            }
        }
        int end = skipSpace(text, at);
        if (end >= text.length() || text.charAt(end) != '>') {
            return refused("the DOCTYPE is not closed where expected");
        }
        String doctype = text.substring(start.start(1) + start.group(1).length(), end + 1);
        String before = text.substring(0, start.start(1) + start.group(1).length());
        String after = text.substring(end + 1);
        // Each constant in place; they hold no markup and no reference, so one pass resolves everything.
        StringBuilder resolved = new StringBuilder(after.length());
        Matcher ref = Pattern.compile("&([A-Za-z_][A-Za-z0-9_.-]*);").matcher(after);
        int last = 0;
        while (ref.find()) {
            String value = entities.get(ref.group(1));
            resolved.append(after, last, ref.start()).append(value != null ? escapeForXml(value) : ref.group());
            last = ref.end();
            if (resolved.length() > limit) {
                return refused("resolving the DOCTYPE's entities makes the file larger than " + limit + " characters");
            }
        }
        resolved.append(after.substring(last));
        String lines = "\n".repeat((int) doctype.chars().filter(c -> c == '\n').count());
        List<String> names = new ArrayList<>(entities.keySet());
        return new Resolved(before + lines + resolved, null, "the DOCTYPE" + (names.isEmpty() ? "" : " (its constants resolved: "
                + String.join(", ", names) + ")"));
    }

    private static String escapeForXml(String value) {
        return value.replace("\"", "&quot;").replace("'", "&apos;").replace(">", "&gt;");
    }

    private static int skipSpace(String text, int at) {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at;
    }

    private static Resolved refused(String why) {
        return new Resolved(null, why, null);
    }
}
