package events.jitsi.cli;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.watermark.SvgSafety;
import events.jitsi.core.watermark.Watermark;
import events.jitsi.core.watermark.WatermarkResult;
import events.jitsi.core.watermark.WatermarkStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "watermark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show, hide, restore or replace the meeting watermark, or check SVG files against its rules.",
                "It works in the EFS folder the web container serves; check installs nothing.",
                "ACTION is status, hide, restore, replace FILE, or check FILE...",
                "check exits 0 when every file is accepted and 2 otherwise."})
final class WatermarkCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "ACTION", description = "status | hide | restore | replace | check")
    String action;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "FILE", description = "With replace: the new SVG; with check: the SVGs to check.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--dir", defaultValue = Watermark.DEFAULT_DIR,
            description = "The images folder on the EFS mount (default ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() {
        Watermark watermark = new Watermark(dir);
        Output out = main.output();
        if (action.equals("check")) {
            return check(out);
        }
        if (!action.equals("replace") && !files.isEmpty()) {
            throw new InvalidInputException("Only replace and check take FILE; " + action + " does not.");
        }
        if (action.equals("replace") && files.size() != 1) {
            throw new InvalidInputException("replace takes one SVG: events-jitsi watermark replace FILE");
        }
        switch (action) {
            case "status" -> {
                WatermarkStatus s = watermark.status();
                out.result(s, describe(s));
                return Main.OK;
            }
            case "hide" -> report(out, watermark.hide());
            case "restore" -> report(out, watermark.restore());
            case "replace" -> report(out, watermark.replace(files.get(0)));
            default -> throw new InvalidInputException("Unknown action '" + action + "': use status, hide, restore, replace FILE or check FILE...");
        }
        return Main.OK;
    }

    /** One verdict per file, nothing installed; exit 2 when any file would be refused. */
    private int check(Output out) {
        if (files.isEmpty()) {
            throw new InvalidInputException("check needs the SVGs to check: events-jitsi watermark check FILE...");
        }
        List<Map<String, Object>> verdicts = new ArrayList<>();
        StringBuilder human = new StringBuilder();
        boolean all = true;
        for (Path file : files) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("file", file.toString());
            String reason;
            List<String> dropped = List.of();
            try {
                SvgSafety.Verdict verdict = Watermark.check(file);
                reason = verdict.accepted() ? null : String.join("; ", verdict.problems());
                dropped = verdict.dropped();
            } catch (InvalidInputException e) {
                reason = e.getMessage();
            } catch (RuntimeException | StackOverflowError e) {
                // Whatever one file does, the others still get their verdict.
                reason = "could not be checked (" + e + "); it is refused";
            }
            v.put("accepted", reason == null);
            v.put("reason", reason);
            v.put("dropped", dropped);
            verdicts.add(v);
            all &= reason == null;
            human.append(reason == null ? (dropped.isEmpty() ? "accepted " : "accepted after leaving out: " + String.join(", ", dropped) + ": ")
                    : "REFUSED  ").append(file).append(reason == null ? "" : ": " + reason).append('\n');
        }
        out.result(Map.of("files", verdicts), human.toString().stripTrailing());
        return all ? Main.OK : Main.BAD_INPUT;
    }

    private void report(Output out, WatermarkResult r) {
        out.result(r, r.message() + "\n" + describe(r.status()));
    }

    private String describe(WatermarkStatus s) {
        return switch (s.state()) {
            case PRESENT -> "Status: present (the original), sha256 " + s.sha256() + ", in " + dir;
            case REPLACED -> "Status: replaced, serving sha256 " + s.sha256() + "; original kept as " + Watermark.BACKUP
                    + " (sha256 " + s.backupSha256() + "), in " + dir;
            case HIDDEN -> "Status: hidden; original kept as " + Watermark.BACKUP + " (sha256 " + s.backupSha256() + "), in " + dir;
            case MISSING -> "Status: missing: neither " + Watermark.FILE + " nor " + Watermark.BACKUP + " in " + dir;
        };
    }
}
