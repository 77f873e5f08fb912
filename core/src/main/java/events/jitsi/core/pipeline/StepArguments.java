package events.jitsi.core.pipeline;

import events.jitsi.core.InvalidInputException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    public Map<String, String> stringMap(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new InvalidInputException(step + ": '" + name + "' must be a map such as [web: 'jitsi/web:stable-10133'].");
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), val == null ? null : String.valueOf(val)));
        return out;
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

    public StepArguments nested(String name, Set<String> allowed) {
        Object v = values.get(name);
        if (v != null && !(v instanceof Map)) {
            throw new InvalidInputException(step + ": '" + name + "' must be a map such as [cluster: 'jitsi-staging-cluster', service: 'jitsi'].");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> map = (Map<String, ?>) v;
        return new StepArguments(step + " " + name, map, allowed);
    }
}
