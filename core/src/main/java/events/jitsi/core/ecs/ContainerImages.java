package events.jitsi.core.ecs;

import events.jitsi.core.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CONTAINER=IMAGE entries, as the CLI's {@code --image} and the Pipeline's {@code images} give them: each checked (a
 * container name as ECS allows it, an image reference as Docker reads it), and a container named twice refused rather
 * than the last one silently winning.
 */
public final class ContainerImages {
    private static final Pattern CONTAINER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final String EXAMPLE = "web=jitsi/web:stable-10133";

    private ContainerImages() {
    }

    /** @param argument how the caller names the entries, for messages (e.g. "--image", "images") */
    public static Map<String, String> parse(List<String> entries, String argument) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new InvalidInputException(argument + " '" + entry + "' is not CONTAINER=IMAGE (e.g. " + EXAMPLE + ").");
            }
            String container = entry.substring(0, eq).trim();
            String image = entry.substring(eq + 1).trim();
            if (!CONTAINER_NAME.matcher(container).matches()) {
                throw new InvalidInputException(argument + " '" + entry + "': the container name '" + container + "' must be 1 to 255 "
                        + "letters, digits, '-' and '_' (e.g. " + EXAMPLE + ").");
            }
            String problem = ImageReference.problem(image);
            if (problem != null) {
                throw new InvalidInputException(argument + " '" + entry + "': '" + image + "' is not an image reference: " + problem + ".");
            }
            String before = out.put(container, image);
            if (before != null) {
                throw new InvalidInputException(argument + " names container '" + container + "' twice (" + before + " and " + image
                        + "): give each container once.");
            }
        }
        return out;
    }
}
