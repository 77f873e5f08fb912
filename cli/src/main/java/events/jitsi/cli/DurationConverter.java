package events.jitsi.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: 30m, 90s, 1h, 1h30m (or ISO-8601 such as PT30M). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("pt")) {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        }
        Matcher m = SHORT.matcher(v);
        if (v.isEmpty() || !m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: write e.g. 30m, 90s, 1h or 1h30m");
        }
        Duration d = Duration.ZERO;
        if (m.group(1) != null) d = d.plusHours(Long.parseLong(m.group(1)));
        if (m.group(2) != null) d = d.plusMinutes(Long.parseLong(m.group(2)));
        if (m.group(3) != null) d = d.plusSeconds(Long.parseLong(m.group(3)));
        return d;
    }
}
