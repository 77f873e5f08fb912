package events.jitsi.pluginchecks;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stapler reads the text of a {@code ${%...}} label up to the first '(' as the message key and the rest as argument
 * expressions, so "Images (one CONTAINER=IMAGE per line)" is not a label but a key and a broken expression: the page
 * (the Snippet Generator included) answers HTTP 500. Seen in a real Jenkins; this keeps it from coming back. Arguments
 * are only meaningful with a key defined in a .properties file beside the view, whose message has the placeholders.
 */
class JellyLabelsTest {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.]+");

    /** One {@code ${%...}} of a view: the file, its line and the text after the '%'. */
    record Label(Path file, int line, String text) {
        @Override
        public String toString() {
            return PluginFiles.name(file) + ":" + line + ": ${%" + text + "}";
        }
    }

    static List<Label> labels(Path jelly) {
        String s = PluginFiles.read(jelly);
        List<Label> out = new ArrayList<>();
        for (int i = s.indexOf("${%"); i >= 0; i = s.indexOf("${%", i + 1)) {
            int depth = 0;
            int end = -1;
            for (int j = i + 2; j < s.length() && end < 0; j++) {
                char c = s.charAt(j);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    if (depth == 0) {
                        end = j;
                    } else {
                        depth--;
                    }
                }
            }
            int line = (int) s.substring(0, i).chars().filter(c -> c == '\n').count() + 1;
            out.add(new Label(jelly, line, end < 0 ? s.substring(i + 3) : s.substring(i + 3, end)));
        }
        return out;
    }

    /** Why Stapler would not show {@code label} as written, or null when it would. */
    static String problem(Label label, Properties messages) {
        String text = label.text();
        int open = text.indexOf('(');
        if (open < 0) {
            return null;
        }
        String key = text.substring(0, open);
        if (!text.endsWith(")") || !KEY.matcher(key).matches() || open == text.length() - 2) {
            return "text in parentheses is read as arguments, and '" + key + "' is not a message key followed by (arguments): "
                    + "move the hint to description= or the help file";
        }
        if (!messages.containsKey(key)) {
            return "the arguments are used only by a message '" + key + "' in a .properties file beside the view, and there is none";
        }
        return null;
    }

    static Properties messagesBeside(Path jelly) {
        Properties p = new Properties();
        String base = jelly.getFileName().toString().replaceFirst("\\.jelly$", "");
        Path file = jelly.resolveSibling(base + ".properties");
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return p;
    }

    @Test
    void noLabelOfAnyViewHasTextInParentheses() {
        List<Path> views = PluginFiles.under(PluginFiles.RESOURCES, ".jelly");
        assertThat(views).as("the plugin's views").hasSizeGreaterThan(5);
        List<String> problems = new ArrayList<>();
        for (Path view : views) {
            Properties messages = messagesBeside(view);
            for (Label label : labels(view)) {
                String problem = problem(label, messages);
                if (problem != null) {
                    problems.add(label + ": " + problem);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theRuleRefusesWhatBrokeThePageAndAcceptsRealArguments() {
        Properties none = new Properties();
        Properties defined = new Properties();
        defined.setProperty("blurb", "Runs on {0}");
        Path view = Path.of("config.jelly");
        assertThat(problem(new Label(view, 1, "Images (one CONTAINER=IMAGE per line)"), none)).contains("description=");
        assertThat(problem(new Label(view, 1, "Rollback timeout (minutes)"), none)).contains("description=");
        assertThat(problem(new Label(view, 1, "blurb(it.name)"), none)).contains("no");
        assertThat(problem(new Label(view, 1, "blurb(it.name)"), defined)).isNull();
        assertThat(problem(new Label(view, 1, "Rollback timeout"), none)).isNull();
    }

    @Test
    void labelsAreFoundWithTheirLines() {
        List<Label> found = labels(PluginFiles.RESOURCES.resolve("events/jitsi/jenkins/WaitForServiceStableStep/config.jelly"));
        assertThat(found).extracting(Label::text).contains("Cluster", "Rollback timeout");
        assertThat(found).filteredOn(l -> l.text().equals("Cluster")).singleElement().extracting(Label::line).isEqualTo(3);
    }
}
