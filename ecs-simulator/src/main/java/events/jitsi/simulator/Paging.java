package events.jitsi.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The paging of ECS's List operations: {@code maxResults} 1 to 100 and an opaque {@code nextToken} that only the
 * operation that issued it takes back; anything else is InvalidParameterException, as ECS answers it.
 */
final class Paging {
    private Paging() {
    }

    /** Puts the page of {@code items} the request asks for into {@code response} under {@code member}, with the next token. */
    static void page(String operation, List<String> items, JsonNode request, int defaultMax, ObjectNode response, String member) {
        int max = defaultMax;
        JsonNode requested = request.path("maxResults");
        if (!requested.isMissingNode() && !requested.isNull()) {
            if (!requested.isIntegralNumber() || requested.asInt() < 1 || requested.asInt() > 100) {
                throw EcsError.invalidParameter("maxResults must be between 1 and 100, got " + requested + ".");
            }
            max = requested.asInt();
        }
        int start = 0;
        JsonNode token = request.path("nextToken");
        if (!token.isMissingNode() && !token.isNull()) {
            start = offset(operation, token.asText(), items.size());
        }
        ArrayNode out = response.putArray(member);
        int end = Math.min(items.size(), start + max);
        for (int i = start; i < end; i++) {
            out.add(items.get(i));
        }
        if (end < items.size()) {
            response.put("nextToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((operation + ":" + end).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static int offset(String operation, String token, int size) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(operation + ":")) {
                int offset = Integer.parseInt(decoded.substring(operation.length() + 1));
                if (offset >= 0 && offset <= size) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the refusal: not a token of ours.
        }
        throw EcsError.invalidParameter("Invalid token " + token);
    }
}
