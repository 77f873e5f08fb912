package events.jitsi.core.verify;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.StringWriter;
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

    /** The checks that could not run (an AWS error, a section that could not be read). */
    public List<Check> errors() {
        return checks.stream().filter(c -> c.status() == Check.Status.ERROR).toList();
    }

    /** Every check that ran passed, and none failed to run. */
    public boolean passed() {
        return failures().isEmpty() && errors().isEmpty();
    }

    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (Check c : checks) {
            sb.append(switch (c.status()) {
                case PASSED -> "PASS ";
                case FAILED -> "FAIL ";
                case SKIPPED -> "SKIP ";
                case ERROR -> "ERROR ";
            }).append(c.environment()).append('/').append(c.subject()).append(' ').append(c.name()).append(": ").append(c.message()).append('\n');
        }
        notes.forEach(n -> sb.append(n).append('\n'));
        if (!awsCalls.isEmpty()) {
            sb.append("AWS calls: ").append(String.join(", ", awsCalls.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())).append('\n');
        }
        sb.append(counts(checks)).append('\n');
        return sb.toString();
    }

    /** "12 checks: 9 passed, 1 failed, 2 skipped" (", 1 could not run" when any could not). */
    static String counts(List<Check> checks) {
        long failed = checks.stream().filter(c -> c.status() == Check.Status.FAILED).count();
        long skipped = checks.stream().filter(c -> c.status() == Check.Status.SKIPPED).count();
        long errors = checks.stream().filter(c -> c.status() == Check.Status.ERROR).count();
        return checks.size() + (checks.size() == 1 ? " check: " : " checks: ") + (checks.size() - failed - skipped - errors) + " passed, " + failed + " failed, " + skipped
                + " skipped" + (errors > 0 ? ", " + errors + " could not run" : "");
    }

    /** Writes {@link #junitXml()} to {@code file}, creating its folder, never through a link. */
    public void writeJUnit(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ReportFiles.write(file, junitXml());
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
                xml.writeAttribute("errors", String.valueOf(cs.stream().filter(c -> c.status() == Check.Status.ERROR).count()));
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
                        case ERROR -> {
                            xml.writeStartElement("error");
                            xml.writeAttribute("message", c.message());
                            xml.writeAttribute("type", "CheckCouldNotRun");
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
