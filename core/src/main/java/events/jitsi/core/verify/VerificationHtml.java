package events.jitsi.core.verify;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A verification as one self-contained HTML page for whoever reads it in the morning (the nightly build archives it
 * beside the JUnit XML): a summary first, one line per environment with each failure linked to its row; then per
 * subject (service, cluster, Auto Scaling group, storage, load balancer, DNS) the environments side by side, subjects
 * and rows with failures first; the drift between environments; the map of each installation. Inline styles only: no
 * script, no font, no image, nothing fetched.
 */
public final class VerificationHtml {
    private static final String DRIFT = "image-drift";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private VerificationHtml() {
    }

    public static String render(VerificationReport report, Instant generatedAt) {
        return render(report, generatedAt, ZoneOffset.UTC);
    }

    /** The page, its time of generation given in {@code zone} (ISO 8601 with the offset and the zone's name). */
    public static String render(VerificationReport report, Instant generatedAt, ZoneId zone) {
        List<Check> checks = report.checks();
        Set<String> environments = new LinkedHashSet<>();
        Map<String, Map<String, Map<String, Check>>> bySubject = new LinkedHashMap<>();
        List<Check> drift = new ArrayList<>();
        Map<String, Integer> urlsSeen = new LinkedHashMap<>();
        for (Check c : checks) {
            if (c.name().startsWith(DRIFT)) {
                drift.add(c);
                continue;
            }
            environments.add(c.environment());
            // Each environment checks its own URLs: one row "url" (then "url 2", ...), the URL shown in the cell.
            String row = c.name();
            if (row.startsWith("url ")) {
                int n = urlsSeen.merge(c.subject() + "\n" + c.environment(), 1, Integer::sum);
                row = n == 1 ? "url" : "url " + n;
            }
            bySubject.computeIfAbsent(c.subject(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(row, k -> new LinkedHashMap<>()).put(c.environment(), c);
        }
        boolean bad = !report.passed();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<title>events-jitsi verification</title><style>")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:0 0 1.5em}")
                .append("th,td{border:1px solid #bbb;padding:.35em .6em;text-align:left;vertical-align:top}th{background:#eee}")
                .append("td.failed{background:#f8d0d0}td.error{background:#f6e0b0}td.passed{background:#e3f3e3}")
                .append("td.skipped{background:#f3f3f3;color:#666}")
                .append(".status{font-weight:bold;margin-right:.4em}.summary{font-size:1.1em}.bad{color:#a00}")
                .append("ul.environments li{margin:.3em 0}ul.environments a{color:#a00}")
                .append("</style></head><body>\n");
        h.append("<h1>Verification of ").append(escape(String.join(", ", environments))).append("</h1>\n");
        h.append("<p class=\"summary").append(bad ? " bad" : "").append("\">").append(escape(VerificationReport.counts(checks)))
                .append(". Generated ").append(escape(WHEN.format(generatedAt.atZone(zone).truncatedTo(ChronoUnit.SECONDS))))
                .append(" (").append(escape(zone.getId().equals("Z") ? "UTC" : zone.getId())).append(").</p>\n");
        // The morning's answer first: per environment, how it went and each failure, linked to its row below.
        h.append("<ul class=\"environments\">\n");
        Set<String> summarized = new LinkedHashSet<>(environments);
        drift.forEach(c -> summarized.add(c.environment()));
        for (String e : summarized) {
            List<Check> of = checks.stream().filter(c -> c.environment().equals(e)).toList();
            h.append("<li><b>").append(escape(e)).append("</b>: ").append(escape(VerificationReport.counts(of)));
            List<Check> wrong = of.stream().filter(c -> c.status() == Check.Status.FAILED || c.status() == Check.Status.ERROR).toList();
            if (!wrong.isEmpty()) {
                h.append("<ul>");
                for (Check c : wrong) {
                    h.append("<li><a href=\"#").append(anchor(c)).append("\">").append(c.status() == Check.Status.ERROR ? "could not run: " : "")
                            .append(escape(c.subject() + " " + c.name())).append("</a>: ").append(escape(c.message())).append("</li>");
                }
                h.append("</ul>");
            }
            h.append("</li>\n");
        }
        h.append("</ul>\n");

        List<Map.Entry<String, Map<String, Map<String, Check>>>> subjects = new ArrayList<>(bySubject.entrySet());
        subjects.sort(Comparator.comparing(s -> !hasProblem(s.getValue().values())));
        for (Map.Entry<String, Map<String, Map<String, Check>>> subject : subjects) {
            h.append("<h2>").append(escape(subject.getKey())).append("</h2>\n<table><tr><th>check</th>");
            environments.forEach(e -> h.append("<th>").append(escape(e)).append("</th>"));
            h.append("</tr>\n");
            List<Map.Entry<String, Map<String, Check>>> rows = new ArrayList<>(subject.getValue().entrySet());
            rows.sort(Comparator.comparing(r -> !hasProblem(List.of(r.getValue()))));
            for (Map.Entry<String, Map<String, Check>> row : rows) {
                h.append("<tr><th>").append(escape(row.getKey())).append("</th>");
                for (String e : environments) {
                    Check c = row.getValue().get(e);
                    h.append(c == null ? "<td>-</td>" : cell(c, !row.getKey().equals(c.name())));
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Drift between environments</h2>\n");
        if (drift.isEmpty()) {
            h.append("<p>No drift was checked (one environment only).</p>\n");
        } else {
            h.append("<table><tr><th>service</th><th>environments</th><th>images</th></tr>\n");
            for (Check c : drift) {
                h.append("<tr><th>").append(escape(c.subject())).append("</th><td>").append(escape(c.environment())).append("</td>")
                        .append(cell(c, false)).append("</tr>\n");
            }
            h.append("</table>\n");
        }
        if (!report.notes().isEmpty() || !report.awsCalls().isEmpty()) {
            // The map of each installation (instances -> services -> target groups -> hosts) and what was not checked.
            h.append("<h2>Installation</h2>\n<ul>\n");
            report.notes().forEach(n -> h.append("<li>").append(escape(n)).append("</li>\n"));
            if (!report.awsCalls().isEmpty()) {
                h.append("<li>AWS calls: ").append(escape(String.join(", ", report.awsCalls().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).toList()))).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static boolean hasProblem(Iterable<Map<String, Check>> rows) {
        for (Map<String, Check> row : rows) {
            if (row.values().stream().anyMatch(c -> c.status() == Check.Status.FAILED || c.status() == Check.Status.ERROR)) {
                return true;
            }
        }
        return false;
    }

    private static String anchor(Check c) {
        return "c-" + Integer.toHexString((c.environment() + "/" + c.subject() + "/" + c.name()).hashCode());
    }

    private static String cell(Check c, boolean showName) {
        String status = c.status().name().toLowerCase(Locale.ROOT);
        String label = c.status() == Check.Status.ERROR ? "COULD NOT RUN" : status.toUpperCase(Locale.ROOT);
        return "<td id=\"" + anchor(c) + "\" class=\"" + status + "\"><span class=\"status\">" + label + "</span>"
                + (showName ? escape(c.name().substring(c.name().indexOf(' ') + 1)) + ": " : "") + escape(c.message()) + "</td>";
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
