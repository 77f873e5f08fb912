package events.jitsi.core.watermark;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether an SVG may be served as the meeting watermark. The file is served on the meeting's own origin to
 * every participant, so a script in it would run with the meeting's privileges: the rules are an allow-list of
 * harmless drawing elements, and everything that can execute or fetch (scripts, event attributes, links, external or
 * data: references, DTDs and entities) is refused. Parsing is done with DTDs and external entities off.
 */
public final class SvgSafety {
    public static final int MAX_BYTES = 1024 * 1024;
    static final String SVG_NS = "http://www.w3.org/2000/svg";
    static final String XLINK_NS = "http://www.w3.org/1999/xlink";

    static final Set<String> ALLOWED_ELEMENTS = Set.of(
            "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
            "defs", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "title", "desc", "style");

    private static final Pattern URL = Pattern.compile("url\\(\\s*['\"]?([^)'\"]*)['\"]?\\s*\\)");
    private static final Pattern LOCAL_REFERENCE = Pattern.compile("#[A-Za-z_][A-Za-z0-9_.:-]*");

    private SvgSafety() {
    }

    /** The reasons the file is unsafe or malformed, each with its line; empty when it may be served. */
    public static List<String> problems(byte[] content) {
        List<String> problems = new ArrayList<>();
        if (content.length > MAX_BYTES) {
            problems.add("the file has " + content.length + " bytes; the limit is " + MAX_BYTES + " (1 MiB)");
            return problems;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            problems.add("the file is not valid UTF-8");
            return problems;
        }
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        try {
            XMLStreamReader xml = factory.createXMLStreamReader(new StringReader(text));
            boolean root = true;
            boolean inStyle = false;
            while (xml.hasNext()) {
                int event = xml.next();
                int line = xml.getLocation().getLineNumber();
                switch (event) {
                    case XMLStreamConstants.DTD -> problems.add("line " + line + ": a DOCTYPE is not allowed (it can declare entities)");
                    case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
                            problems.add("line " + line + ": entity '" + xml.getLocalName() + "' is not allowed");
                    case XMLStreamConstants.PROCESSING_INSTRUCTION ->
                            problems.add("line " + line + ": processing instruction <?" + xml.getPITarget() + "?> is not allowed");
                    case XMLStreamConstants.START_ELEMENT -> {
                        checkElement(xml, root, line, problems);
                        root = false;
                        inStyle = "style".equals(xml.getLocalName());
                    }
                    case XMLStreamConstants.END_ELEMENT -> inStyle = false;
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (inStyle) {
                            checkCss(xml.getText(), "line " + line + ": <style>", problems);
                        }
                    }
                    default -> {
                    }
                }
            }
            if (root) {
                problems.add("the file has no root element");
            }
        } catch (XMLStreamException e) {
            String where = e.getLocation() != null ? "line " + e.getLocation().getLineNumber() + ": " : "";
            problems.add(where + "not well-formed XML: " + e.getMessage().replaceAll("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", ""));
        }
        return problems;
    }

    private static void checkElement(XMLStreamReader xml, boolean root, int line, List<String> problems) {
        String name = xml.getLocalName();
        String ns = xml.getNamespaceURI();
        if (root && (!"svg".equals(name) || !SVG_NS.equals(ns))) {
            problems.add("line " + line + ": the root element must be <svg xmlns=\"" + SVG_NS + "\">, not <" + name + ">"
                    + (ns == null || ns.isEmpty() ? " without a namespace" : " in " + ns));
            return;
        }
        if (!SVG_NS.equals(ns)) {
            problems.add("line " + line + ": element <" + name + "> is outside the SVG namespace" + (ns == null || ns.isEmpty() ? "" : " (" + ns + ")"));
        } else if (!ALLOWED_ELEMENTS.contains(name)) {
            problems.add("line " + line + ": element <" + name + "> is not allowed; allowed are " + String.join(", ", new java.util.TreeSet<>(ALLOWED_ELEMENTS)));
        }
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            String attribute = xml.getAttributeLocalName(i);
            String attributeNs = xml.getAttributeNamespace(i);
            String value = xml.getAttributeValue(i);
            String shown = (xml.getAttributePrefix(i) == null || xml.getAttributePrefix(i).isEmpty() ? "" : xml.getAttributePrefix(i) + ":") + attribute;
            String where = "line " + line + ": <" + name + " " + shown + ">";
            if (attribute.toLowerCase(Locale.ROOT).startsWith("on")) {
                problems.add(where + ": event attributes run scripts");
            } else if (XMLConstants.XML_NS_URI.equals(attributeNs) && "base".equals(attribute)) {
                problems.add(where + ": xml:base is not allowed");
            } else if ("href".equals(attribute) && (attributeNs == null || attributeNs.isEmpty() || XLINK_NS.equals(attributeNs))) {
                if (!LOCAL_REFERENCE.matcher(value.trim()).matches()) {
                    problems.add(where + ": only references inside the file (#id) are allowed");
                }
            } else if ("style".equals(attribute)) {
                checkCss(value, where, problems);
            } else {
                checkValue(value, where, problems);
            }
        }
    }

    private static void checkValue(String value, String where, List<String> problems) {
        String compact = value.replaceAll("[\\s\\u0000-\\u001f]", "").toLowerCase(Locale.ROOT);
        for (String scheme : new String[]{"javascript:", "vbscript:", "data:"}) {
            if (compact.contains(scheme)) {
                problems.add(where + ": '" + scheme + "' references are not allowed");
            }
        }
        Matcher m = URL.matcher(value);
        while (m.find()) {
            if (!LOCAL_REFERENCE.matcher(m.group(1).trim()).matches()) {
                problems.add(where + ": url(" + m.group(1) + ") points outside the file; only url(#id) is allowed");
            }
        }
    }

    private static void checkCss(String css, String where, List<String> problems) {
        String compact = css.replaceAll("\\s", "").toLowerCase(Locale.ROOT);
        if (compact.contains("@import")) {
            problems.add(where + ": @import is not allowed");
        }
        if (compact.contains("expression(")) {
            problems.add(where + ": CSS expression() is not allowed");
        }
        checkValue(css, where, problems);
    }
}
