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
 * raster images. Parsing is done with DTDs and external entities off.
 *
 * <p>What is served is not the uploaded text but a canonical re-serialization of what was checked (the same elements,
 * attributes and CSS, written here), so a difference between this parser and a browser's cannot smuggle anything
 * through. Inert editor metadata (RDF, Inkscape, Sodipodi, Illustrator, Sketch) is dropped from it, not refused.
 */
public final class SvgSafety {
    public static final int MAX_BYTES = 1024 * 1024;
    static final String SVG_NS = "http://www.w3.org/2000/svg";
    static final String XLINK_NS = "http://www.w3.org/1999/xlink";

    /** The verdict on one file: what is wrong (empty when it may be served), the file to serve, and what was dropped. */
    public record Verdict(List<String> problems, byte[] canonical, List<String> dropped) {
        public boolean accepted() {
            return problems.isEmpty();
        }
    }

    static final Set<String> ALLOWED_ELEMENTS = Set.of(
            "svg", "g", "defs", "symbol", "use", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
            "text", "tspan", "title", "desc", "style", "linearGradient", "radialGradient", "stop", "clipPath", "mask",
            "pattern", "marker", "image", "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
            "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood",
            "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
            "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence");
    /**
     * Elements in the SVG namespace that browsers do not render (Inkscape's SVG 1.2 flowed text, Illustrator's
     * gradient midpoints): left out, not refused.
     */
    private static final Set<String> NOT_RENDERED = Set.of("flowRoot", "flowRegion", "flowPara", "flowSpan", "flowDiv",
            "flowRegionExclude", "midPointStop");
    /** Elements whose text is content; text anywhere else is layout whitespace and is not kept. */
    private static final Set<String> TEXT_ELEMENTS = Set.of("title", "desc", "text", "tspan");

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
            "systemLanguage");

    private static final Set<String> EDITOR_NAMESPACES = Set.of(
            "http://www.inkscape.org/namespaces/inkscape", "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
            "http://ns.adobe.com/AdobeIllustrator/10.0/", "http://ns.adobe.com/Graphs/1.0/",
            "http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/", "http://ns.adobe.com/Extensibility/1.0/",
            "http://ns.adobe.com/Variables/1.0/", "http://ns.adobe.com/ImageReplacement/1.0/",
            "http://ns.adobe.com/SaveForWeb/1.0/", "http://ns.adobe.com/xap/1.0/", "http://ns.adobe.com/xap/1.0/mm/",
            "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#", "adobe:ns:meta/", "http://www.bohemiancoding.com/sketch/ns",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.org/dc/elements/1.1/", "http://creativecommons.org/ns#",
            "http://web.resource.org/cc/", "http://www.serif.com/", "http://www.figma.com/figma/ns");

    private static final Pattern LOCAL_REFERENCE = Pattern.compile("#[A-Za-z_][A-Za-z0-9_.:-]*");
    private static final Pattern EMBEDDED_IMAGE = Pattern.compile("data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+");

    private SvgSafety() {
    }

    /** The reasons the file is unsafe or malformed, each with its line; empty when it may be served. */
    public static List<String> problems(byte[] content) {
        return check(content).problems();
    }

    public static Verdict check(byte[] content) {
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

    private static Verdict checkOnce(byte[] content) {
        List<String> problems = new ArrayList<>();
        Set<String> dropped = new LinkedHashSet<>();
        if (content.length > MAX_BYTES) {
            problems.add("the file has " + content.length + " bytes; the limit is " + MAX_BYTES + " (1 MiB)");
            return new Verdict(problems, null, List.of());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            problems.add("the file is not valid UTF-8");
            return new Verdict(problems, null, List.of());
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
            Deque<Keep> open = new ArrayDeque<>();
            // The reader does not say which element a text event is in.
            Deque<String> elements = new ArrayDeque<>();
            boolean root = true;
            StringBuilder style = null;
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
                        Keep parent = open.isEmpty() ? Keep.WRITE : open.peek();
                        Keep keep = parent == Keep.WRITE ? startElement(xml, root, line, writer, problems, dropped) : Keep.SKIP;
                        root = false;
                        open.push(keep);
                        elements.push(xml.getLocalName());
                        if (keep == Keep.WRITE && "style".equals(xml.getLocalName())) {
                            style = new StringBuilder();
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Keep keep = open.pop();
                        elements.pop();
                        if (keep == Keep.WRITE) {
                            if (style != null) {
                                writer.writeCharacters(SvgCss.styleSheet(style.toString(), "line " + line + ": <style>", problems, dropped));
                                style = null;
                            }
                            writer.writeEndElement();
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (open.isEmpty() || open.peek() != Keep.WRITE) {
                            break;
                        }
                        if (style != null) {
                            style.append(xml.getText());
                        } else if (TEXT_ELEMENTS.contains(elements.peek())) {
                            writer.writeCharacters(xml.getText());
                        }
                    }
                    default -> {
                    }
                }
            }
            if (root) {
                problems.add("the file has no root element");
            }
            writer.writeCharacters("\n");
            writer.writeEndDocument();
            writer.close();
        } catch (XMLStreamException e) {
            String where = e.getLocation() != null ? "line " + e.getLocation().getLineNumber() + ": " : "";
            problems.add(where + "not well-formed XML: " + e.getMessage().replaceAll("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", ""));
        }
        return new Verdict(List.copyOf(problems), problems.isEmpty() ? out.toByteArray() : null, List.copyOf(dropped));
    }

    private enum Keep { WRITE, SKIP }

    /** Checks one element; writes it when it is kept, and says whether its content is kept. */
    private static Keep startElement(XMLStreamReader xml, boolean root, int line, XMLStreamWriter writer, List<String> problems,
                                     Set<String> dropped) throws XMLStreamException {
        String name = xml.getLocalName();
        String ns = xml.getNamespaceURI() == null ? "" : xml.getNamespaceURI();
        if (root && (!"svg".equals(name) || !SVG_NS.equals(ns))) {
            problems.add("line " + line + ": the root element must be <svg xmlns=\"" + SVG_NS + "\">, not <" + name + ">"
                    + (ns.isEmpty() ? " without a namespace" : " in " + ns));
            return Keep.SKIP;
        }
        if (EDITOR_NAMESPACES.contains(ns) || (SVG_NS.equals(ns) && "metadata".equals(name))) {
            dropped.add("<" + prefixed(xml.getPrefix(), name) + "> (editor metadata)");
            return Keep.SKIP;
        }
        if (!SVG_NS.equals(ns)) {
            problems.add("line " + line + ": element <" + name + "> is outside the SVG namespace" + (ns.isEmpty() ? "" : " (" + ns + ")"));
            return Keep.SKIP;
        }
        if (NOT_RENDERED.contains(name)) {
            dropped.add("<" + name + "> (browsers do not render it)");
            return Keep.SKIP;
        }
        if (!ALLOWED_ELEMENTS.contains(name)) {
            problems.add("line " + line + ": element <" + name + "> is not allowed; allowed are " + String.join(", ", new TreeSet<>(ALLOWED_ELEMENTS)));
            return Keep.SKIP;
        }
        if (root) {
            writer.setDefaultNamespace(SVG_NS);
            writer.writeStartElement(SVG_NS, name);
            writer.writeDefaultNamespace(SVG_NS);
            writer.writeNamespace("xlink", XLINK_NS);
        } else {
            writer.writeStartElement(SVG_NS, name);
        }
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            attribute(xml, i, name, line, writer, problems, dropped);
        }
        return Keep.WRITE;
    }

    private static void attribute(XMLStreamReader xml, int i, String element, int line, XMLStreamWriter writer, List<String> problems,
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
                writer.writeAttribute("xml", XMLConstants.XML_NS_URI, attribute, value);
            }
        } else if ("href".equals(attribute) && (plain || XLINK_NS.equals(ns))) {
            String reference = value.replaceAll("\\s", "");
            if ("image".equals(element) ? !EMBEDDED_IMAGE.matcher(reference).matches() : !LOCAL_REFERENCE.matcher(reference).matches()) {
                problems.add(where + ": " + ("image".equals(element)
                        ? "an image must be embedded as data:image/png, jpeg, gif or webp;base64"
                        : "only references inside the file (#id) are allowed") + ", not '" + abbreviate(value) + "'");
            } else {
                writer.writeAttribute("xlink", XLINK_NS, "href", reference);
            }
        } else if (!plain) {
            dropped.add(shown + " (" + (EDITOR_NAMESPACES.contains(ns) ? "editor metadata" : "attribute in " + ns) + ")");
        } else if ("style".equals(attribute)) {
            String css = SvgCss.declarations(value, where, problems, dropped);
            if (!css.isEmpty()) {
                writer.writeAttribute("style", css);
            }
        } else if (SvgCss.PROPERTIES.contains(attribute)) {
            String css = SvgCss.value(attribute, value, where, problems);
            if (css != null) {
                writer.writeAttribute(attribute, css);
            }
        } else if (PLAIN_ATTRIBUTES.contains(attribute)) {
            writer.writeAttribute(attribute, value);
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
