package events.jitsi.cli;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.watermark.Watermark;
import events.jitsi.core.watermark.WatermarkResult;
import events.jitsi.core.watermark.WatermarkStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "watermark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show, hide, restore or replace the meeting watermark in the EFS folder the web container serves.",
                "ACTION is status, hide, restore or replace FILE."})
final class WatermarkCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "ACTION", description = "status | hide | restore | replace")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "With replace: the new SVG.")
    Path file;

    @Option(names = "--dir", defaultValue = Watermark.DEFAULT_DIR,
            description = "The images folder on the EFS mount (default ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() {
        Watermark watermark = new Watermark(dir);
        if (!action.equals("replace") && file != null) {
            throw new InvalidInputException("Only replace takes a FILE; " + action + " does not.");
        }
        Output out = main.output();
        switch (action) {
            case "status" -> {
                WatermarkStatus s = watermark.status();
                out.result(s, describe(s));
                return Main.OK;
            }
            case "hide" -> report(out, watermark.hide());
            case "restore" -> report(out, watermark.restore());
            case "replace" -> {
                if (file == null) {
                    throw new InvalidInputException("replace needs the new SVG: events-jitsi watermark replace FILE");
                }
                report(out, watermark.replace(file));
            }
            default -> throw new InvalidInputException("Unknown action '" + action + "': use status, hide, restore or replace FILE.");
        }
        return Main.OK;
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
