package events.jitsi.pluginchecks;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Snippet Generator offers what a step's config.jelly lists: every argument a step binds must be there (else
 * operators cannot find it), every field there must be an argument (else the form cannot be saved), and each field
 * has its help file beside the view, as Jenkins shows it behind the "?" icon.
 */
class StepFormsTest {
    private static final Pattern FIELD = Pattern.compile("<f:entry\\s+field=\"(\\w+)\"");
    private static final Pattern SETTER = Pattern.compile("@DataBoundSetter\\s+public\\s+void\\s+set(\\w+)\\s*\\(");
    private static final Pattern CONSTRUCTOR = Pattern.compile("@DataBoundConstructor\\s+public\\s+\\w+\\s*\\(([^)]*)\\)");
    private static final Pattern EXTENDS = Pattern.compile("class\\s+\\w+\\s+extends\\s+(\\w+)");

    static Set<String> fields(Path view) {
        Set<String> out = new TreeSet<>();
        Matcher m = FIELD.matcher(PluginFiles.read(view));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The arguments a step class binds: its @DataBoundConstructor parameters and @DataBoundSetter properties, its superclass's too. */
    static Set<String> arguments(String className) {
        Path source = PluginFiles.JAVA.resolve("events/jitsi/jenkins/" + className + ".java");
        if (!Files.exists(source)) {
            return Set.of();
        }
        String java = PluginFiles.read(source);
        Set<String> out = new TreeSet<>();
        Matcher setter = SETTER.matcher(java);
        while (setter.find()) {
            out.add(Character.toLowerCase(setter.group(1).charAt(0)) + setter.group(1).substring(1));
        }
        Matcher constructor = CONSTRUCTOR.matcher(java);
        if (constructor.find() && !constructor.group(1).isBlank()) {
            for (String parameter : constructor.group(1).split(",")) {
                String[] words = parameter.trim().split("\\s+");
                out.add(words[words.length - 1]);
            }
        }
        Matcher parent = EXTENDS.matcher(java);
        if (parent.find()) {
            out.addAll(arguments(parent.group(1)));
        }
        return out;
    }

    @Test
    void everyStepFormListsExactlyTheArgumentsOfItsStepWithHelp() {
        List<Path> views = PluginFiles.under(PluginFiles.RESOURCES, "config.jelly");
        assertThat(views).hasSizeGreaterThanOrEqualTo(6);
        List<String> problems = new ArrayList<>();
        for (Path view : views) {
            String step = view.getParent().getFileName().toString();
            Set<String> fields = fields(view);
            Set<String> arguments = arguments(step);
            if (arguments.isEmpty()) {
                problems.add(PluginFiles.name(view) + ": no step class " + step + " with bound arguments");
                continue;
            }
            Set<String> missing = new TreeSet<>(arguments);
            missing.removeAll(fields);
            Set<String> unknown = new TreeSet<>(fields);
            unknown.removeAll(arguments);
            if (!missing.isEmpty()) {
                problems.add(PluginFiles.name(view) + ": arguments not in the form: " + missing);
            }
            if (!unknown.isEmpty()) {
                problems.add(PluginFiles.name(view) + ": fields that are no argument of " + step + ": " + unknown);
            }
            for (String field : fields) {
                if (!Files.exists(view.resolveSibling("help-" + field + ".html"))) {
                    problems.add(PluginFiles.name(view) + ": no help-" + field + ".html");
                }
            }
            if (!Files.exists(view.resolveSibling("help.html"))) {
                problems.add(PluginFiles.name(view) + ": no help.html for the step");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void argumentsAreReadFromTheStepAndItsSuperclass() {
        assertThat(arguments("WaitForServiceStableStep")).contains("cluster", "service", "rollbackTimeout", "region", "credentialsId");
    }
}
