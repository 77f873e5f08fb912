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
 * has a help file, as Jenkins shows it behind the "?" icon. Jenkins looks for {@code help-FIELD.html} beside the step
 * class's views and then beside each superclass's ({@code Descriptor.getHelpFile} walks the class's ancestors), so the
 * arguments every AWS step shares are explained once, under {@code AwsStep/}.
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

    /** The superclass a step class in this plugin extends, or null. */
    static String superclass(String className) {
        Path source = PluginFiles.JAVA.resolve("events/jitsi/jenkins/" + className + ".java");
        if (!Files.exists(source)) {
            return null;
        }
        Matcher parent = EXTENDS.matcher(PluginFiles.read(source));
        return parent.find() ? parent.group(1) : null;
    }

    /** The help file Jenkins shows for a field of a step: the step's own, else the nearest superclass's. */
    static Path helpFile(String step, String field) {
        for (String c = step; c != null; c = superclass(c)) {
            Path help = PluginFiles.RESOURCES.resolve("events/jitsi/jenkins/" + c + "/help-" + field + ".html");
            if (Files.exists(help)) {
                return help;
            }
        }
        return null;
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
                if (helpFile(step, field) == null) {
                    problems.add(PluginFiles.name(view) + ": no help-" + field + ".html beside it or its superclass's views");
                }
            }
            if (!Files.exists(view.resolveSibling("help.html"))) {
                problems.add(PluginFiles.name(view) + ": no help.html for the step");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aStepDoesNotRepeatTheHelpItsSuperclassGives() {
        List<String> copies = new ArrayList<>();
        for (Path view : PluginFiles.under(PluginFiles.RESOURCES, "config.jelly")) {
            String step = view.getParent().getFileName().toString();
            String parent = superclass(step);
            for (String field : fields(view)) {
                Path own = view.resolveSibling("help-" + field + ".html");
                Path inherited = parent == null ? null : helpFile(parent, field);
                if (Files.exists(own) && inherited != null && PluginFiles.read(own).equals(PluginFiles.read(inherited))) {
                    copies.add(PluginFiles.name(own) + " repeats " + PluginFiles.name(inherited));
                }
            }
        }
        assertThat(copies).isEmpty();
    }

    @Test
    void sharedArgumentsAreExplainedOnceUnderTheirSuperclass() {
        assertThat(helpFile("EcsDeployRevisionStep", "credentialsId")).isEqualTo(helpFile("AwsStep", "credentialsId")).isNotNull();
        assertThat(helpFile("VerifyEnvironmentsStep", "region")).isNotEqualTo(helpFile("AwsStep", "region"));
        assertThat(helpFile("JitsiEnvironmentsStep", "credentialsId")).isNull();
    }

    @Test
    void argumentsAreReadFromTheStepAndItsSuperclass() {
        assertThat(arguments("WaitForServiceStableStep")).contains("cluster", "service", "rollbackTimeout", "region", "credentialsId");
    }
}
