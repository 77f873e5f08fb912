package events.jitsi.core.watermark;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Decides whether an SVG may be served as the meeting watermark, and writes the file that is served. The file is
 * served on the meeting's own origin, so a script in it would run with the meeting's privileges and a fetch would leak
 * every visitor's address: the rules are an allow-list of drawing elements and attributes, every piece of CSS is
 * parsed as a browser would ({@link SvgCss}), and only references inside the file (#id) are allowed, plus embedded
 * raster images. Parsing is done with DTDs and external entities off, and at most {@link #MAX_DEPTH} elements deep.
 *
 * <p>What is served is not the uploaded text but a canonical re-serialization of what was checked (the same elements,
 * attributes and CSS, written here), so a difference between this parser and a browser's cannot smuggle anything
 * through. Every element and attribute outside the SVG and XLink namespaces (editor metadata of any editor and any
 * generation, RDF, unknown ones) is left out of it, not refused: a browser draws none of them. What is left out is
 * still checked, because a browser acts on SVG elements wherever they stand: a {@code <script>} inside an unknown
 * element or inside {@code <metadata>} runs, a {@code <style>} there applies (tried in Chromium); so the verdict
 * judges the file as uploaded, and "accepted" never covers something that could act or fetch.
 */
public final class SvgSafety {
    public static final int MAX_BYTES = 1024 * 1024;
    /** How deep elements may nest: far beyond any drawing, short of what would exhaust a parser's or a browser's stack. */
    public static final int MAX_DEPTH = 256;
    static final String SVG_NS = "http://www.w3.org/2000/svg";
    static final String XLINK_NS = "http://www.w3.org/1999/xlink";
    /** Namespaces whose elements a browser renders or runs inside an SVG document: never left out silently. */
    private static final Set<String> ACTIVE_NAMESPACES = Set.of("http://www.w3.org/1999/xhtml", "http://www.w3.org/1998/Math/MathML");

    /** The verdict on one file: what is wrong (empty when it may be served), the file to serve, and what was dropped. */
    public record Verdict(List<String> problems, byte[] canonical, List<String> dropped) {
        public boolean accepted() {
            return problems.isEmpty();
        }
    }

    static final Set<String> ALLOWED_ELEMENTS = Set.of(
            "svg", "g", "defs", "symbol", "use", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
            "text", "tspan", "textPath", "title", "desc", "style", "linearGradient", "radialGradient", "stop", "clipPath", "mask",
            "pattern", "marker", "image", "switch", "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
            "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood",
            "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
            "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence");
    /**
     * Elements in the SVG namespace that browsers do not render (Inkscape's SVG 1.2 flowed text, Illustrator's
     * gradient midpoints, the ICC colour profile Inkscape names, which no browser loads) and the metadata element:
     * left out, not refused (their content still checked).
     */
    private static final Set<String> NOT_RENDERED = Set.of("flowRoot", "flowRegion", "flowPara", "flowSpan", "flowDiv",
            "flowRegionExclude", "midPointStop", "color-profile", "metadata");
    /** Elements whose text is content; text anywhere else is layout whitespace and is not kept. */
    private static final Set<String> TEXT_ELEMENTS = Set.of("title", "desc", "text", "tspan", "textPath");
    /** Illustrator's "preserve editing" data sits in a foreignObject that asks for this extension, which no browser has. */
    private static final String ILLUSTRATOR_EXTENSION = "http://ns.adobe.com/AdobeIllustrator/10.0/";

    /** Attributes that are not CSS and cannot fetch anything; kept as they are. */
    static final Set<String> PLAIN_ATTRIBUTES = Set.of(
            "id", "class", "version", "baseProfile", "viewBox", "preserveAspectRatio", "x", "y", "width", "height",
            "d", "points", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "pathLength",
            "transform", "gradientTransform", "gradientUnits", "spreadMethod", "patternTransform", "patternUnits",
            "patternContentUnits", "offset", "clipPathUnits", "maskUnits", "maskContentUnits", "markerUnits",
            "markerWidth", "markerHeight", "refX", "refY", "orient", "filterUnits", "primitiveUnits", "in", "in2",
            "result", "stdDeviation", "dx", "dy", "operator", "k1", "k2", "k3", "k4", "type", "values", "mode",
            "radius", "scale", "xChannelSelector", "yChannelSelector", "baseFrequency", "numOctaves", "seed",
            "stitchTiles", "tableValues", "slope", "intercept", "amplitude", "exponent", "kernelMatrix", "order",
            "divisor", "bias", "targetX", "targetY", "edgeMode", "preserveAlpha", "surfaceScale", "diffuseConstant",
            "specularConstant", "specularExponent", "kernelUnitLength", "azimuth", "elevation", "z", "pointsAtX",
            "pointsAtY", "pointsAtZ", "limitingConeAngle", "rotate", "textLength", "lengthAdjust", "requiredFeatures",
            "systemLanguage", "startOffset", "method", "spacing", "side", "path");

    private static final Pattern LOCAL_REFERENCE = Pattern.compile("#[A-Za-z_][A-Za-z0-9_.:-]*");
    private static final Pattern EMBEDDED_IMAGE = Pattern.compile("data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+");

    private SvgSafety() {
    }

    /** The reasons the file is unsafe or malformed, each with its line; empty when it may be served. */
    public static List<String> problems(byte[] content) {
        return check(content).problems();
    }

    public static Verdict check(byte[] content) {
        if (content.length > MAX_BYTES) {
            return new Verdict(List.of("the file has " + content.length + " bytes; the limit is " + MAX_BYTES + " (1 MiB)"), null, List.of());
        }
        Verdict first = checkOnce(content);
        if (!first.accepted()) {
            return first;
        }
        // What is served must itself pass unchanged: a canonical form that reads differently would be a parser gap.
        Verdict again = checkOnce(first.canonical());
        if (!again.accepted() || !java.util.Arrays.equals(again.canonical(), first.canonical())) {
            List<String> problems = new ArrayList<>(again.problems());
            problems.add("the re-serialized file does not read back the same; it is refused rather than served");
            return new Verdict(List.copyOf(problems), null, first.dropped());
        }
        return first;
    }

    /** How an element's subtree is handled: written to the served file, or only checked (left out of it). */
    private enum Mode { WRITE, CHECK }

    /** Where the served file is written; nothing is written for what is only checked. */
    private interface Out {
        void start(String name) throws XMLStreamException;

        void attribute(String name, String value) throws XMLStreamException;

        void xml(String name, String value) throws XMLStreamException;

        void href(String value) throws XMLStreamException;

        void text(String text) throws XMLStreamException;

        void end() throws XMLStreamException;
    }

    private static final Out NOTHING = new Out() {
        @Override
        public void start(String name) {
        }

        @Override
        public void attribute(String name, String value) {
        }

        @Override
        public void xml(String name, String value) {
        }

        @Override
        public void href(String value) {
        }

        @Override
        public void text(String text) {
        }

        @Override
        public void end() {
        }
    };

    private static Out writing(XMLStreamWriter writer) {
        return new Out() {
            private boolean root = true;

            @Override
            public void start(String name) throws XMLStreamException {
                if (root) {
                    writer.setDefaultNamespace(SVG_NS);
                    writer.writeStartElement(SVG_NS, name);
                    writer.writeDefaultNamespace(SVG_NS);
                    writer.writeNamespace("xlink", XLINK_NS);
                    root = false;
                } else {
                    writer.writeStartElement(SVG_NS, name);
                }
            }

            @Override
            public void attribute(String name, String value) throws XMLStreamException {
                writer.writeAttribute(name, value);
            }

            @Override
            public void xml(String name, String value) throws XMLStreamException {
                writer.writeAttribute("xml", XMLConstants.XML_NS_URI, name, value);
            }

            @Override
            public void href(String value) throws XMLStreamException {
                writer.writeAttribute("xlink", XLINK_NS, "href", value);
            }

            @Override
            public void text(String text) throws XMLStreamException {
                writer.writeCharacters(text);
            }

            @Override
            public void end() throws XMLStreamException {
                writer.writeEndElement();
            }
        };
    }

    /** One open element: how it is handled, its name, and the CSS text of a {@code <style>}. */
    private static final class Open {
        final Mode mode;
        final String name;
        final StringBuilder style;
        final int line;

        Open(Mode mode, String name, boolean style, int line) {
            this.mode = mode;
            this.name = name;
            this.style = style ? new StringBuilder() : null;
            this.line = line;
        }
    }

    private static Verdict checkOnce(byte[] content) {
        List<String> problems = new ArrayList<>();
        Set<String> dropped = new LinkedHashSet<>();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            problems.add("the file is not valid UTF-8");
            return new Verdict(problems, null, List.of());
        }
        if (text.startsWith("\uFEFF")) {
            // A byte order mark, as some editors write: not part of the document.
            text = text.substring(1);
        }
        SvgDoctype.Resolved doctype = SvgDoctype.resolve(text, 2 * MAX_BYTES);
        if (doctype.problem() != null) {
            problems.add("line 1: " + doctype.problem());
            return new Verdict(problems, null, List.of());
        }
        text = doctype.text();
        if (doctype.leftOut() != null) {
            dropped.add(doctype.leftOut());
        }
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamReader xml = factory.createXMLStreamReader(new StringReader(text));
            XMLStreamWriter writer = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            writer.writeStartDocument("UTF-8", "1.0");
            writer.writeCharacters("\n");
            Out served = writing(writer);
            Deque<Open> open = new ArrayDeque<>();
            boolean root = true;
            read:
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
                        if (open.size() >= MAX_DEPTH) {
                            problems.add("line " + line + ": elements nest more than " + MAX_DEPTH + " deep; no drawing needs that");
                            break read;
                        }
                        Open parent = open.peek();
                        if (parent != null && parent.style != null) {
                            // A browser reads a <style>'s text around its children as CSS: nothing may stand between.
                            problems.add("line " + line + ": <style> holds the element <" + prefixed(xml.getPrefix(), xml.getLocalName())
                                    + ">; a style element holds CSS text only");
                        }
                        Mode mode = parent == null ? Mode.WRITE : parent.mode;
                        Mode child = startElement(xml, root, line, mode == Mode.WRITE ? served : NOTHING, mode, problems, dropped);
                        root = false;
                        boolean style = child != null && "style".equals(xml.getLocalName()) && SVG_NS.equals(xml.getNamespaceURI());
                        // A refused element's content is still checked (and never written): every problem is said at once.
                        open.push(new Open(child == null ? Mode.CHECK : child, xml.getLocalName(), style, line));
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Open closing = open.pop();
                        if (closing.style != null) {
                            String where = "line " + closing.line + ": <style>";
                            String css = SvgCss.styleSheet(closing.style.toString(), where, problems,
                                    closing.mode == Mode.WRITE ? dropped : new HashSet<>());
                            if (closing.mode == Mode.WRITE) {
                                served.text(css);
                            }
                        }
                        if (closing.mode == Mode.WRITE) {
                            served.end();
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        Open current = open.peek();
                        if (current == null) {
                            break;
                        }
                        if (current.style != null) {
                            current.style.append(xml.getText());
                        } else if (current.mode == Mode.WRITE && TEXT_ELEMENTS.contains(current.name)) {
                            served.text(xml.getText());
                        }
                    }
                    default -> {
                    }
                }
            }
            if (root) {
                problems.add("the file has no root element");
            }
            if (problems.isEmpty()) {
                writer.writeCharacters("\n");
                writer.writeEndDocument();
            }
            writer.close();
        } catch (XMLStreamException e) {
            String where = e.getLocation() != null ? "line " + e.getLocation().getLineNumber() + ": " : "";
            problems.add(where + "not well-formed XML: " + e.getMessage().replaceAll("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", ""));
        }
        return new Verdict(List.copyOf(problems), problems.isEmpty() ? out.toByteArray() : null, List.copyOf(dropped));
    }

    /**
     * Checks one element under a parent handled as {@code parentMode}; writes it to {@code out} when it is kept, and
     * says how its content is handled: WRITE, CHECK (left out, still checked), or null when it was refused.
     */
    private static Mode startElement(XMLStreamReader xml, boolean root, int line, Out out, Mode parentMode, List<String> problems,
                                     Set<String> dropped) throws XMLStreamException {
        String name = xml.getLocalName();
        String ns = xml.getNamespaceURI() == null ? "" : xml.getNamespaceURI();
        String shown = "<" + prefixed(xml.getPrefix(), name) + ">";
        // Only the top of what is left out is listed; inside it, everything is left out with it.
        Set<String> leftOut = parentMode == Mode.WRITE ? dropped : new HashSet<>();
        if (root && (!"svg".equals(name) || !SVG_NS.equals(ns))) {
            problems.add("line " + line + ": the root element must be <svg xmlns=\"" + SVG_NS + "\">, not <" + name + ">"
                    + (ns.isEmpty() ? " without a namespace" : " in " + ns));
            return null;
        }
        if (ACTIVE_NAMESPACES.contains(ns)) {
            problems.add("line " + line + ": element " + shown + " is outside the SVG namespace, in " + ns + ", which browsers render "
                    + "and run inside an SVG document");
            return null;
        }
        if (!SVG_NS.equals(ns)) {
            // Editor data of any editor (Inkscape, Sodipodi of any generation, Illustrator, Sketch, RDF...) or unknown:
            // not drawn. Its SVG content, if any, is still checked.
            leftOut.add(shown + " (" + (ns.isEmpty() ? "no namespace" : ns) + ")");
            return Mode.CHECK;
        }
        if ("foreignObject".equals(name) && ILLUSTRATOR_EXTENSION.equals(xml.getAttributeValue(null, "requiredExtensions"))) {
            // Asks for an extension no browser has, so it is never shown; its content (Illustrator's) is still checked.
            leftOut.add(shown + " (Illustrator's editing data)");
            return Mode.CHECK;
        }
        if (NOT_RENDERED.contains(name)) {
            leftOut.add(shown + ("metadata".equals(name) ? " (metadata)" : " (browsers do not render it)"));
            return Mode.CHECK;
        }
        if (!ALLOWED_ELEMENTS.contains(name)) {
            problems.add("line " + line + ": element <" + name + "> is not allowed" + (parentMode == Mode.CHECK
                    ? " (it is inside what is left out, but a browser still acts on it)" : "")
                    + "; allowed are " + String.join(", ", new TreeSet<>(ALLOWED_ELEMENTS)));
            return null;
        }
        out.start(name);
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            attribute(xml, i, name, line, out, problems, leftOut);
        }
        return parentMode;
    }

    private static void attribute(XMLStreamReader xml, int i, String element, int line, Out out, List<String> problems,
                                  Set<String> dropped) throws XMLStreamException {
        String attribute = xml.getAttributeLocalName(i);
        String ns = xml.getAttributeNamespace(i) == null ? "" : xml.getAttributeNamespace(i);
        String value = xml.getAttributeValue(i);
        String shown = prefixed(xml.getAttributePrefix(i), attribute);
        String where = "line " + line + ": <" + element + " " + shown + ">";
        boolean plain = ns.isEmpty() || SVG_NS.equals(ns);
        if (plain && attribute.toLowerCase(Locale.ROOT).startsWith("on")) {
            problems.add(where + ": event attributes run scripts");
        } else if (XMLConstants.XML_NS_URI.equals(ns)) {
            if ("base".equals(attribute)) {
                problems.add(where + ": xml:base is not allowed");
            } else if ("space".equals(attribute) || "lang".equals(attribute)) {
                out.xml(attribute, value);
            }
        } else if ("href".equals(attribute) && (plain || XLINK_NS.equals(ns))) {
            String reference = value.replaceAll("\\s", "");
            if ("image".equals(element) ? !EMBEDDED_IMAGE.matcher(reference).matches() : !LOCAL_REFERENCE.matcher(reference).matches()) {
                problems.add(where + ": " + ("image".equals(element)
                        ? "an image must be embedded as data:image/png, jpeg, gif or webp;base64"
                        : "only references inside the file (#id) are allowed") + ", not '" + abbreviate(value) + "'");
            } else {
                out.href(reference);
            }
        } else if (!plain) {
            dropped.add(shown + " (" + (XLINK_NS.equals(ns) ? "not used for drawing" : ns) + ")");
        } else if ("style".equals(attribute)) {
            String css = SvgCss.declarations(value, where, problems, dropped);
            if (!css.isEmpty()) {
                out.attribute("style", css);
            }
        } else if (SvgCss.PROPERTIES.contains(attribute)) {
            String css = SvgCss.value(attribute, value, where, problems);
            if (css != null) {
                out.attribute(attribute, css);
            }
        } else if (PLAIN_ATTRIBUTES.contains(attribute)) {
            out.attribute(attribute, value);
        } else {
            dropped.add(shown + " (not used for drawing)");
        }
    }

    private static String prefixed(String prefix, String name) {
        return prefix == null || prefix.isEmpty() ? name : prefix + ":" + name;
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
