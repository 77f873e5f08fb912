package events.jitsi.core.pipeline;

import events.jitsi.core.InvalidInputException;

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

    /** The names every AWS step takes besides its own. */
    static final Set<String> AWS = Set.of("region", "credentialsId", "endpointUrl");

    static Set<String> withAws(String... names) {
        Set<String> all = new java.util.HashSet<>(AWS);
        all.addAll(List.of(names));
        return Set.copyOf(all);
    }

    /** null for a blank text: a form field left empty means "not given". */
    static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** The value, or bad input saying the step needs it. */
    static String required(String step, String name, String value) {
        if (blankToNull(value) == null) {
            throw new InvalidInputException(step + " needs '" + name + "'.");
        }
        return value;
    }

    /**
     * A step's typed arguments back as its named arguments, JDK values only (strings, numbers, booleans, lists of
     * strings), the given ones alone: what a Pipeline's program state or a call to an agent can carry without a class of
     * this jar. {@code aws} becomes region, credentialsId and endpointUrl; false and empty lists count as not given.
     */
    public static java.util.HashMap<String, Object> toMap(Record arguments) {
        java.util.HashMap<String, Object> named = new java.util.HashMap<>();
        for (java.lang.reflect.RecordComponent component : arguments.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(arguments);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value instanceof AwsAccess aws) {
                named.put("region", aws.region());
                named.put("credentialsId", aws.credentialsId());
                named.put("endpointUrl", aws.endpointUrl());
            } else if (value instanceof List<?> list) {
                named.put(component.getName(), list.isEmpty() ? null : new ArrayList<>(list));
            } else {
                named.put(component.getName(), Boolean.FALSE.equals(value) ? null : value);
            }
        }
        named.values().removeIf(v -> v == null);
        return named;
    }

    /** The AWS arguments: region, credentialsId, endpointUrl. */
    AwsAccess access() {
        return new AwsAccess(text("region"), text("credentialsId"), text("endpointUrl"));
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
        return required(step, name, text(name));
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

    /**
     * {@code value} if it is a file name inside the workspace: relative, no drive, backslash, control character or '..'
     * segment; null when not given.
     */
    static String relativeFile(String step, String name, String value, String example) {
        String s = blankToNull(value);
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
