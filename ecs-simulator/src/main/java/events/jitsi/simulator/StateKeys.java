package events.jitsi.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The key checks of a state file: a misspelt key is named, with the keys that place takes, never silently ignored. */
final class StateKeys {
    private StateKeys() {
    }

    /** Refuses any key of {@code node} (when it is an object) that is not one of {@code allowed}. */
    static void only(JsonNode node, String where, String... allowed) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new InvalidStateException("state: " + where + ": must be an object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        Set<String> known = Set.of(allowed);
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidStateException("state: " + where + ": unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; it takes " + String.join(", ", new TreeSet<>(known)));
        }
    }

    static JsonNode required(JsonNode node, String where, String key) {
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            throw new InvalidStateException("state: " + where + "." + key + ": is missing");
        }
        return v;
    }
}
