package events.jitsi.core.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A verification as one self-contained HTML page for people (the nightly build archives it beside the JUnit XML):
 * per subject (service, cluster, Auto Scaling group, storage, load balancer, DNS), the environments side by side with
 * every check and its status, failures highlighted; the drift between environments; the map of each installation.
 * Inline styles only: no script, no font, no image, nothing fetched.
 */
public final class VerificationHtml {
    private static final String DRIFT = "image-drift";

    private VerificationHtml() {
    }

    public static String render(VerificationReport report, Instant generatedAt) {
        List<Check> checks = report.checks();
        Set<String> environments = new LinkedHashSet<>();
        Map<String, Map<String, Map<String, Check>>> bySubject = new LinkedHashMap<>();
        List<Check> drift = new ArrayList<>();
        for (Check c : checks) {
            if (c.name().startsWith(DRIFT)) {
                drift.add(c);
                continue;
            }
            environments.add(c.environment());
            bySubject.computeIfAbsent(c.subject(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(c.name(), k -> new LinkedHashMap<>()).put(c.environment(), c);
        }
        long failed = report.failures().size();
        long skipped = checks.stream().filter(c -> c.status() == Check.Status.SKIPPED).count();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<title>events-jitsi verification</title><style>")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:0 0 1.5em}")
                .append("th,td{border:1px solid #bbb;padding:.35em .6em;text-align:left;vertical-align:top}th{background:#eee}")
                .append("td.failed{background:#f8d0d0}td.passed{background:#e3f3e3}td.skipped{background:#f3f3f3;color:#666}")
                .append(".status{font-weight:bold;margin-right:.4em}.summary{font-size:1.1em}.bad{color:#a00}")
                .append("</style></head><body>\n");
        h.append("<h1>Verification of ").append(escape(String.join(", ", environments))).append("</h1>\n");
        h.append("<p class=\"summary").append(failed > 0 ? " bad" : "").append("\">").append(checks.size()).append(" checks: ")
                .append(checks.size() - failed - skipped).append(" passed, ").append(failed).append(" failed, ").append(skipped)
                .append(" skipped. Generated ").append(escape(generatedAt.toString())).append(".</p>\n");
        for (Map.Entry<String, Map<String, Map<String, Check>>> subject : bySubject.entrySet()) {
            h.append("<h2>").append(escape(subject.getKey())).append("</h2>\n<table><tr><th>check</th>");
            environments.forEach(e -> h.append("<th>").append(escape(e)).append("</th>"));
            h.append("</tr>\n");
            for (Map.Entry<String, Map<String, Check>> row : subject.getValue().entrySet()) {
                h.append("<tr><th>").append(escape(row.getKey())).append("</th>");
                for (String e : environments) {
                    Check c = row.getValue().get(e);
                    h.append(c == null ? "<td>-</td>" : cell(c));
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
                        .append(cell(c)).append("</tr>\n");
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

    private static String cell(Check c) {
        String status = c.status().name().toLowerCase(java.util.Locale.ROOT);
        return "<td class=\"" + status + "\"><span class=\"status\">" + status.toUpperCase(java.util.Locale.ROOT) + "</span>"
                + escape(c.message()) + "</td>";
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
