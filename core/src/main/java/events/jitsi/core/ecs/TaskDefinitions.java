package events.jitsi.core.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import events.jitsi.core.InvalidInputException;
import events.jitsi.core.aws.UnknownTaskDefinitionMembers;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Reading, copying and printing task definitions, shared by deploy, promote and verify. */
public final class TaskDefinitions {
    private TaskDefinitions() {
    }

    /** "family:revision" from an ARN or a family:revision reference. */
    public static String shortName(String reference) {
        int slash = reference.lastIndexOf('/');
        return slash >= 0 ? reference.substring(slash + 1) : reference;
    }

    /** True when both name the same FAMILY:REVISION, whether given as ARNs or short names; false when either is null. */
    public static boolean sameRevision(String a, String b) {
        return a != null && b != null && shortName(a).equals(shortName(b));
    }

    public static String familyOf(String reference) {
        String name = shortName(reference);
        int colon = name.indexOf(':');
        return colon >= 0 ? name.substring(0, colon) : name;
    }

    public static int revisionOf(String reference) {
        String name = shortName(reference);
        return Integer.parseInt(name.substring(name.indexOf(':') + 1));
    }

    /** Describes a task definition with its tags; an unknown one is bad input naming the family's newest revisions. */
    public static DescribeTaskDefinitionResponse describe(EcsClient ecs, String reference) {
        try {
            return ecs.describeTaskDefinition(r -> r.taskDefinition(reference).include(TaskDefinitionField.TAGS));
        } catch (ClientException e) {
            String family = familyOf(reference);
            List<String> newest = newestRevisions(ecs, family, 5);
            throw new InvalidInputException("Task definition " + shortName(reference) + " does not exist. "
                    + (newest.isEmpty() ? "Family " + family + " has no ACTIVE revisions."
                    : "Newest ACTIVE revisions of " + family + ": " + String.join(", ", newest) + "."), e);
        }
    }

    /**
     * Describes a task definition that is about to be copied into a new revision, and warns (naming them) about its
     * members that the SDK in use does not know: the copy cannot carry them.
     */
    public static DescribeTaskDefinitionResponse describeForCopy(EcsClient ecs, String reference, Consumer<String> log) {
        Set<String> unknown = new java.util.TreeSet<>();
        DescribeTaskDefinitionResponse described;
        try {
            described = ecs.describeTaskDefinition(r -> r.taskDefinition(reference).include(TaskDefinitionField.TAGS)
                    .overrideConfiguration(o -> o.putExecutionAttribute(UnknownTaskDefinitionMembers.FOUND, unknown)));
        } catch (ClientException e) {
            return describe(ecs, reference);
        }
        if (!unknown.isEmpty()) {
            log.accept("Warning: " + shortName(described.taskDefinition().taskDefinitionArn()) + " has " + String.join(", ", unknown)
                    + ", which this tool's AWS SDK does not know; a revision copied from it will not have "
                    + (unknown.size() == 1 ? "it" : "them") + ". Update events-jitsi (in Jenkins: the AWS SDK 2 API plugins) "
                    + "before relying on the copy.");
        }
        return described;
    }

    /**
     * The newest ACTIVE revisions of exactly this family (ListTaskDefinitions matches by prefix), newest first. Sorted
     * here by revision number: not every ECS endpoint honours {@code sort=DESC} (moto does not), and a wrong order would
     * make verification report an older revision as newer.
     */
    public static List<String> newestRevisions(EcsClient ecs, String family, int limit) {
        List<String> found = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListTaskDefinitionsResponse page = ecs.listTaskDefinitions(r -> r.familyPrefix(family).sort(SortOrder.DESC)
                    .status("ACTIVE").nextToken(next));
            for (String arn : page.taskDefinitionArns()) {
                if (familyOf(arn).equals(family)) {
                    found.add(shortName(arn));
                }
            }
            token = page.nextToken();
        } while (token != null);
        found.sort(java.util.Comparator.comparingInt(TaskDefinitions::revisionOf).reversed());
        return List.copyOf(found.subList(0, Math.min(limit, found.size())));
    }

    /**
     * A registration of {@code source} as it is, but for what {@code changeContainer} changes: every field that the
     * registration call accepts is copied, whatever SDK version the engine runs on.
     */
    public static RegisterTaskDefinitionRequest registrationOf(TaskDefinition source, DescribeTaskDefinitionResponse described,
                                                               UnaryOperator<ContainerDefinition> changeContainer) {
        RegisterTaskDefinitionRequest.Builder builder = RegisterTaskDefinitionRequest.builder();
        Map<String, SdkField<?>> sourceFields = new java.util.HashMap<>();
        for (SdkField<?> f : source.sdkFields()) {
            sourceFields.put(f.memberName(), f);
        }
        for (SdkField<?> target : ((SdkPojo) builder).sdkFields()) {
            SdkField<?> from = sourceFields.get(target.memberName());
            if (from != null) {
                Object value = from.getValueOrDefault(source);
                if (value != null) {
                    target.set(builder, value);
                }
            }
        }
        builder.containerDefinitions(source.containerDefinitions().stream().map(changeContainer).toList());
        if (described != null && described.hasTags() && !described.tags().isEmpty()) {
            builder.tags(described.tags());
        }
        return builder.build();
    }

    /** The SDK object as JSON with the wire names, nulls and empty SDK lists left out. */
    public static JsonNode toJson(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return f.nullNode();
        }
        if (value instanceof SdkPojo pojo) {
            ObjectNode node = f.objectNode();
            for (SdkField<?> field : pojo.sdkFields()) {
                Object v = field.getValueOrDefault(pojo);
                if (v == null || (v instanceof Collection<?> c && c.isEmpty()) || (v instanceof Map<?, ?> m && m.isEmpty())) {
                    continue;
                }
                node.set(field.locationName(), toJson(v));
            }
            return node;
        }
        if (value instanceof Collection<?> list) {
            ArrayNode array = f.arrayNode();
            list.forEach(v -> array.add(toJson(v)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = f.objectNode();
            map.forEach((k, v) -> node.set(String.valueOf(k), toJson(v)));
            return node;
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return f.numberNode(i);
        }
        if (value instanceof Long l) {
            return f.numberNode(l);
        }
        if (value instanceof Instant instant) {
            return f.textNode(instant.toString());
        }
        if (value instanceof SdkBytes bytes) {
            return f.textNode(bytes.asUtf8String());
        }
        return f.textNode(String.valueOf(value));
    }
}
