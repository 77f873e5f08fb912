package events.jitsi.core.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the members of a described task definition that the AWS SDK in use does not know. The SDK drops them
 * silently, so a revision copied from the description (new images, a promotion) would lose them; ECS adds members
 * over time, and the Jenkins plugin runs on the SDK of the Jenkins AWS plugins, which may be older than ECS. Installed
 * on every ECS client by {@link AwsServices}; it reads a response only when the request asked for it with {@link #FOUND}.
 */
public final class UnknownTaskDefinitionMembers implements ExecutionInterceptor {
    /** Put on a DescribeTaskDefinition request: the set receives the unknown members' wire names. */
    public static final ExecutionAttribute<Set<String>> FOUND = new ExecutionAttribute<>("events-jitsi.unknownTaskDefinitionMembers");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Set<String> found = attributes.getAttribute(FOUND);
        Optional<InputStream> body = context.responseBody();
        if (found == null || body.isEmpty() || !context.httpResponse().isSuccessful()) {
            return body;
        }
        byte[] bytes;
        try (InputStream in = body.get()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            JsonNode described = JSON.readTree(bytes).path("taskDefinition");
            Set<String> known = new TreeSet<>();
            for (SdkField<?> f : TaskDefinition.builder().sdkFields()) {
                known.add(f.locationName());
            }
            for (Iterator<String> names = described.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    found.add(name);
                }
            }
        } catch (IOException e) {
            // Not JSON: the SDK's own unmarshalling will say what is wrong.
        }
        return Optional.of(new ByteArrayInputStream(bytes));
    }
}
