package events.jitsi.core.pipeline;

import events.jitsi.core.InvalidInputException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Pipeline step's named arguments, checked the way Jenkins binds them: an unknown name is an error that lists
 * the names the step takes, and a value of the wrong kind says which argument and what it should be.
 */
public final class StepArguments {
    private final String step;
    private final Map<String, ?> values;

    public StepArguments(String step, Map<String, ?> values, Set<String> allowed) {
        this.step = step;
        this.values = values == null ? Map.of() : values;
        for (String name : this.values.keySet()) {
            if (!allowed.contains(name)) {
                throw new InvalidInputException(step + " does not take '" + name + "'; it takes: " + String.join(", ", new TreeSet<>(allowed)) + ".");
            }
        }
    }

    public boolean has(String name) {
        Object v = values.get(name);
        return v != null && !(v instanceof String s && s.isBlank());
    }

    public String text(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        String s = String.valueOf(v);
        return s.isBlank() ? null : s;
    }

    public String requiredText(String name) {
        String s = text(name);
        if (s == null) {
            throw new InvalidInputException(step + " needs '" + name + "'.");
        }
        return s;
    }

    public Integer integer(String name) {
        Object v = values.get(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            return null;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(step + ": '" + name + "' must be a whole number, got '" + v + "'.");
        }
    }

    public boolean flag(String name) {
        Object v = values.get(name);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new InvalidInputException(step + ": '" + name + "' must be true or false, got '" + v + "'.");
    }

    /** Minutes, as Jenkins' own timeout step counts them; null when not given. */
    public Duration minutes(String name) {
        Integer m = integer(name);
        if (m == null) {
            return null;
        }
        if (m <= 0) {
            throw new InvalidInputException(step + ": '" + name + "' is in minutes and must be positive, got " + m + ".");
        }
        return Duration.ofMinutes(m);
    }

    /**
     * A list of CONTAINER=IMAGE strings, the CLI's own {@code --image} syntax, as container name to image. Container
     * names follow ECS's rule (letters, digits, hyphens, underscores); an image is one word.
     */
    public Map<String, String> containerImages(String name) {
        Object v = values.get(name);
        String example = " such as ['web=jitsi/web:stable-10133', 'prosody=jitsi/prosody:stable-10133']";
        if (v instanceof Map) {
            throw new InvalidInputException(step + ": '" + name + "' takes a list of CONTAINER=IMAGE strings" + example + ", not a map.");
        }
        return events.jitsi.core.ecs.ContainerImages.parse(strings(name), step + ": '" + name + "' entry");
    }

    /**
     * A file name relative to the workspace that stays inside it: no absolute path, drive, backslash or '..'
     * segment. The step writes there, so a name from the Pipeline must not reach anywhere else.
     */
    public String relativeFile(String name) {
        return relativeFile(name, "reports/verify.xml");
    }

    /** As {@link #relativeFile(String)}, with an example of a good name for the message. */
    public String relativeFile(String name, String example) {
        String s = text(name);
        if (s == null) {
            return null;
        }
        boolean escapes = s.startsWith("/") || s.contains("\\") || s.contains(":") || s.chars().anyMatch(Character::isISOControl)
                || java.util.Arrays.asList(s.split("/")).contains("..");
        if (escapes) {
            throw new InvalidInputException(step + ": '" + name + "' must be a file name inside the workspace, such as '" + example
                    + "' (relative, '/' between folders, no '..'), got '" + s + "'.");
        }
        return s;
    }

    public List<String> strings(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return s.isBlank() ? List.of() : List.of(s);
        }
        if (!(v instanceof Iterable<?> it)) {
            throw new InvalidInputException(step + ": '" + name + "' must be a list of names.");
        }
        List<String> out = new ArrayList<>();
        it.forEach(x -> out.add(String.valueOf(x)));
        return List.copyOf(out);
    }
}
