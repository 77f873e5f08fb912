package events.jitsi.core.verify;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checks of one verification run, as a human summary and as JUnit XML for Jenkins' junit step.
 *
 * @param awsCalls how many AWS API calls the run made, per environment
 * @param notes    lines for people: sections not checked, the map of each environment's installation
 */
public record VerificationReport(List<Check> checks, Map<String, Integer> awsCalls, List<String> notes) {

    public List<Check> failures() {
        return checks.stream().filter(c -> c.status() == Check.Status.FAILED).toList();
    }

    public boolean passed() {
        return failures().isEmpty();
    }

    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (Check c : checks) {
            sb.append(switch (c.status()) {
                case PASSED -> "PASS ";
                case FAILED -> "FAIL ";
                case SKIPPED -> "SKIP ";
            }).append(c.environment()).append('/').append(c.subject()).append(' ').append(c.name()).append(": ").append(c.message()).append('\n');
        }
        notes.forEach(n -> sb.append(n).append('\n'));
        if (!awsCalls.isEmpty()) {
            sb.append("AWS calls: ").append(String.join(", ", awsCalls.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())).append('\n');
        }
        long failed = failures().size();
        long skipped = checks.stream().filter(c -> c.status() == Check.Status.SKIPPED).count();
        sb.append(checks.size()).append(" checks: ").append(checks.size() - failed - skipped).append(" passed, ")
                .append(failed).append(" failed, ").append(skipped).append(" skipped\n");
        return sb.toString();
    }

    /** Writes {@link #junitXml()} to {@code file}, creating its folder. */
    public void writeJUnit(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, junitXml(), StandardCharsets.UTF_8);
    }

    /** One testsuite per environment, one testcase per check; a failure carries its reason. */
    public String junitXml() {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "events-jitsi verification");
            Map<String, List<Check>> bySuite = new LinkedHashMap<>();
            checks.forEach(c -> bySuite.computeIfAbsent(c.environment(), k -> new java.util.ArrayList<>()).add(c));
            for (Map.Entry<String, List<Check>> suite : bySuite.entrySet()) {
                List<Check> cs = suite.getValue();
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", "verify." + suite.getKey());
                xml.writeAttribute("tests", String.valueOf(cs.size()));
                xml.writeAttribute("failures", String.valueOf(cs.stream().filter(c -> c.status() == Check.Status.FAILED).count()));
                xml.writeAttribute("errors", "0");
                xml.writeAttribute("skipped", String.valueOf(cs.stream().filter(c -> c.status() == Check.Status.SKIPPED).count()));
                xml.writeAttribute("time", seconds(cs.stream().mapToLong(Check::millis).sum()));
                for (Check c : cs) {
                    xml.writeCharacters("\n    ");
                    xml.writeStartElement("testcase");
                    xml.writeAttribute("classname", "verify." + c.environment() + "." + c.subject());
                    xml.writeAttribute("name", c.name());
                    xml.writeAttribute("time", seconds(c.millis()));
                    switch (c.status()) {
                        case FAILED -> {
                            xml.writeStartElement("failure");
                            xml.writeAttribute("message", c.message());
                            xml.writeAttribute("type", "VerificationFailure");
                            xml.writeCharacters(c.message());
                            xml.writeEndElement();
                        }
                        case SKIPPED -> {
                            xml.writeStartElement("skipped");
                            xml.writeAttribute("message", c.message());
                            xml.writeEndElement();
                        }
                        case PASSED -> {
                            xml.writeStartElement("system-out");
                            xml.writeCharacters(c.message());
                            xml.writeEndElement();
                        }
                    }
                    xml.writeEndElement();
                }
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the JUnit report", e);
        }
        return out.toString();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

}
