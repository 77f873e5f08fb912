package events.jitsi.core.ecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A unified diff of two task definitions as normalised JSON: only what a registration carries (no revision, status,
 * registeredAt...), keys sorted, and lists of named things (containers, environment, secrets, volumes, mount points,
 * tags...) in a stable order, so the diff shows what changes and nothing else.
 */
public final class TaskDefinitionDiff {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** For lists whose order carries no meaning: the field that names each item. */
    private static final Map<String, String> SORT_KEYS = Map.of(
            "containerDefinitions", "name", "environment", "name", "secrets", "name", "volumes", "name",
            "mountPoints", "containerPath", "tags", "key", "portMappings", "containerPort", "ulimits", "name",
            "volumesFrom", "sourceContainer", "dependsOn", "containerName");

    private TaskDefinitionDiff() {
    }

    public static String normalised(RegisterTaskDefinitionRequest registration) {
        try {
            return JSON.writeValueAsString(normalise(TaskDefinitions.toJson(registration), null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The unified diff from {@code before} to {@code after}; empty when they register the same thing. */
    public static String unified(String beforeName, RegisterTaskDefinitionRequest before, String afterName, RegisterTaskDefinitionRequest after) {
        List<String> a = normalised(before).lines().toList();
        List<String> b = normalised(after).lines().toList();
        Patch<String> patch = DiffUtils.diff(a, b);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(beforeName, afterName, a, patch, 3)) + "\n";
    }

    private static JsonNode normalise(JsonNode node, String field) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), normalise(e.getValue(), e.getKey())));
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(item -> items.add(normalise(item, null)));
            String key = SORT_KEYS.get(field);
            if (key != null) {
                items.sort(Comparator.comparing(item -> item.path(key).asText()));
            }
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            items.forEach(out::add);
            return out;
        }
        return node;
    }
}
