package events.jitsi.core;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A URL of the environments file may carry a user and password ({@code https://user:secret@staging.example/}) for a
 * site behind basic authentication. They are sent as curl sends them and never shown: wherever a URL is printed
 * (console, JUnit, HTML, an error about the file) its user-info is replaced by {@code ***}.
 */
public final class UrlCredentials {
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@");

    private UrlCredentials() {
    }

    /** The URL as it may be printed. */
    public static String shown(URI url) {
        return url.getRawUserInfo() == null ? url.toString() : shown(url.toString());
    }

    /** A URL as written, parsable or not, as it may be printed. */
    public static String shown(String url) {
        return url == null ? null : USER_INFO.matcher(url).replaceFirst("$1***@");
    }

    /** The URL to request: the same, character for character, without its user-info. */
    public static URI withoutUserInfo(URI url) {
        return url.getRawUserInfo() == null ? url : URI.create(USER_INFO.matcher(url.toString()).replaceFirst("$1"));
    }

    /** The {@code Authorization} header value for the URL's user-info, when it has one. */
    public static Optional<String> basicAuthorization(URI url) {
        String userInfo = url.getUserInfo();
        if (userInfo == null) {
            return Optional.empty();
        }
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }
}
