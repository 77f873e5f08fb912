package events.jitsi.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Lets the SDK's CloudWatch client talk to moto. The SDK (2.42 and 2.57) speaks CloudWatch's Smithy RPC v2 CBOR
 * protocol; moto 5.2.1 answers CloudWatch only in JSON 1.0 (and query) and returns 404 to CBOR. Both carry the same
 * data model, so this changes the encoding and nothing else: CBOR request to JSON on moto's path, JSON answer back
 * to CBOR (timestamps tagged as epoch seconds, as the protocol sends them). Other services pass untouched.
 */
public final class CloudWatchOverJson implements ExecutionInterceptor {
    private static final String CBOR_PATH = "/service/GraniteServiceVersion20100801/operation/";
    private static final String TARGET_PREFIX = "GraniteServiceVersion20100801.";

    /** Set on the calls this re-encodes: later hooks see the request as rewritten, on moto's path. */
    private static final ExecutionAttribute<Boolean> REENCODED = new ExecutionAttribute<>("events-jitsi CloudWatch over JSON");
    /** The JSON body's length: the request still carries the CBOR body's Content-Length. */
    private static final ExecutionAttribute<Integer> JSON_LENGTH = new ExecutionAttribute<>("events-jitsi CloudWatch JSON length");

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper cbor = new ObjectMapper(new CBORFactory());

    private static boolean reencoded(ExecutionAttributes attributes) {
        return Boolean.TRUE.equals(attributes.getAttribute(REENCODED));
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        if (!request.encodedPath().contains(CBOR_PATH)) {
            return request;
        }
        attributes.putAttribute(REENCODED, true);
        String path = request.encodedPath();
        String operation = path.substring(path.indexOf(CBOR_PATH) + CBOR_PATH.length());
        SdkHttpRequest.Builder b = request.toBuilder().encodedPath("/");
        request.headers().keySet().stream().filter(h -> h.equalsIgnoreCase("smithy-protocol") || h.equalsIgnoreCase("accept")
                || h.equalsIgnoreCase("content-type")).toList().forEach(b::removeHeader);
        Integer length = attributes.getAttribute(JSON_LENGTH);
        if (length != null) {
            request.headers().keySet().stream().filter(h -> h.equalsIgnoreCase("content-length")).toList().forEach(b::removeHeader);
            b.putHeader("Content-Length", String.valueOf(length));
        }
        return b.putHeader("Content-Type", "application/x-amz-json-1.0").putHeader("X-Amz-Target", TARGET_PREFIX + operation).build();
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        // The SDK asks for the content before the request: here the path is still the CBOR one.
        if (!context.httpRequest().encodedPath().contains(CBOR_PATH) || context.requestBody().isEmpty()) {
            return context.requestBody();
        }
        try (InputStream in = context.requestBody().get().contentStreamProvider().newStream()) {
            byte[] body = in.readAllBytes();
            JsonNode tree = body.length == 0 ? json.createObjectNode() : cbor.readTree(body);
            byte[] converted = json.writeValueAsBytes(tree);
            attributes.putAttribute(JSON_LENGTH, converted.length);
            return Optional.of(RequestBody.fromBytes(converted));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-encode a CloudWatch request for moto", e);
        }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!reencoded(attributes)) {
            return context.httpResponse();
        }
        return context.httpResponse().toBuilder().removeHeader("Content-Type").putHeader("Content-Type", "application/cbor")
                .putHeader("smithy-protocol", "rpc-v2-cbor").build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!reencoded(attributes) || context.responseBody().isEmpty()) {
            return context.responseBody();
        }
        try (InputStream in = context.responseBody().get()) {
            byte[] body = in.readAllBytes();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (CBORGenerator g = ((CBORFactory) cbor.getFactory()).createGenerator(out)) {
                write(g, null, body.length == 0 ? json.createObjectNode() : json.readTree(body));
            }
            return Optional.of(new java.io.ByteArrayInputStream(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-encode moto's CloudWatch answer", e);
        }
    }

    /** JSON 1.0 sends timestamps as plain epoch seconds; RPC v2 CBOR as epoch seconds under tag 1. */
    private static void write(CBORGenerator g, String field, JsonNode node) throws IOException {
        if (node.isObject()) {
            g.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                g.writeFieldName(e.getKey());
                write(g, e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode item : node) {
                write(g, field, item);
            }
            g.writeEndArray();
        } else if (node.isNumber() && field != null && (field.endsWith("Timestamp") || field.equals("Timestamps"))) {
            g.writeTag(1);
            g.writeNumber(node.doubleValue());
        } else if (node.isNumber()) {
            if (node.isIntegralNumber()) {
                g.writeNumber(node.longValue());
            } else {
                g.writeNumber(node.doubleValue());
            }
        } else if (node.isBoolean()) {
            g.writeBoolean(node.booleanValue());
        } else if (node.isNull()) {
            g.writeNull();
        } else {
            g.writeString(node.asText());
        }
    }
}
