package events.jitsi.core.ecs;

import java.util.regex.Pattern;

/**
 * Docker's image reference grammar (distribution/reference): {@code [domain[:port]/]path[:tag][@digest]}, the path of
 * lower-case components separated by '/', a tag of at most 128 word characters, dots and dashes, a digest as
 * algorithm:hex. A string that is not one fails only when ECS pulls it, minutes into a rollout; here it is refused first.
 */
public final class ImageReference {
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
    private static final Pattern REMOTE = Pattern.compile("(" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*)"
            + "(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final int MAX_NAME = 255;

    private ImageReference() {
    }

    /** Why {@code image} is not an image reference, or null when it is. */
    public static String problem(String image) {
        if (image == null || image.isEmpty()) {
            return "it is empty";
        }
        if (image.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return "it contains a space or a control character";
        }
        if (image.endsWith(":")) {
            return "its tag is empty (nothing after ':')";
        }
        if (image.endsWith("@")) {
            return "its digest is empty (nothing after '@')";
        }
        // As Docker splits a name: the first part is a registry only if it has a '.' or a ':' or is localhost.
        String first = image.contains("/") ? image.substring(0, image.indexOf('/')) : null;
        boolean registry = first != null && (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("["));
        if (registry && !DOMAIN_PATTERN.matcher(first).matches()) {
            return "its registry '" + first + "' is not a host name with an optional port";
        }
        String withoutDomain = registry ? image.substring(first.length() + 1) : image;
        var m = REMOTE.matcher(withoutDomain);
        if (!m.matches()) {
            // Upper case is allowed in the registry's host name only: name that case, the most common one.
            String repository = withoutDomain.replaceAll("[:@].*$", "");
            if (!repository.equals(repository.toLowerCase(java.util.Locale.ROOT))) {
                return "its repository '" + repository + "' has upper-case letters (only lower case is allowed there)";
            }
            if (image.contains("@")) {
                return "its digest '" + image.substring(image.indexOf('@') + 1) + "' is not ALGORITHM:HEX (e.g. sha256: and 64 hex digits)";
            }
            return "it does not follow [registry/]repository[:tag][@digest] (lower-case repository, a tag of letters, digits, '_', '.', '-')";
        }
        String digest = m.group(3);
        if (digest != null && digest.startsWith("sha256:") && digest.length() != "sha256:".length() + 64) {
            return "its sha256 digest has " + (digest.length() - 7) + " hex digits instead of 64";
        }
        String name = (registry ? first + "/" : "") + m.group(1);
        if (name.length() > MAX_NAME) {
            return "its name is " + name.length() + " characters long, more than " + MAX_NAME;
        }
        return null;
    }
}
