package events.jitsi.cli;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.config.Environments;
import events.jitsi.core.watermark.RemoteWatermark;
import events.jitsi.core.watermark.SvgSafety;
import events.jitsi.core.watermark.Watermark;
import events.jitsi.core.watermark.WatermarkResult;
import events.jitsi.core.watermark.WatermarkStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
                "It works in the EFS folder the web container serves: through SSM Run Command on the host that runs the web task",
                "(--via ssm, with --environment or --cluster), or on this machine's mount (--via local); check installs nothing.",
                "ACTION is status, hide, restore, replace FILE, or check FILE...",
                "check exits 0 when every file is accepted and 2 otherwise."})
final class WatermarkCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "ACTION", description = "status | hide | restore | replace | check")
    String action;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "FILE", description = "With replace: the new SVG; with check: the SVGs to check.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--dir", description = "The images folder on the host's EFS mount (default: the environment's watermark.dir, else "
            + Watermark.DEFAULT_DIR + ").")
    Path dir;

    @Option(names = "--via", paramLabel = "ssm|local", description = "ssm: SSM Run Command on the EC2 host that runs the web task, from "
            + "anywhere; local: the folder on this machine. Default: ssm with --environment or --cluster, else local.")
    String via;

    @Option(names = "--environment", paramLabel = "NAME", description = "With ssm: the environment whose watermark it is (its cluster, "
            + "and its watermark section: service, container, dir).")
    String environment;

    @Mixin
    EnvironmentsOption config;

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "With ssm, instead of --environment: the ECS cluster.")
    String cluster;

    @Option(names = "--service", paramLabel = "SERVICE", description = "With ssm and --cluster: the service whose tasks run the web "
            + "container (default jitsi).")
    String service;

    @Option(names = "--container", paramLabel = "NAME", description = "With ssm: the web container's name (default web).")
    String container;

    @Override
    public Integer call() {
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
        if (!List.of("status", "hide", "restore", "replace").contains(action)) {
            throw new InvalidInputException("Unknown action '" + action + "': use status, hide, restore, replace FILE or check FILE...");
        }
        String chosen = via != null ? via : (environment != null || cluster != null) ? "ssm" : "local";
        if (chosen.equals("ssm")) {
            return overSsm(out);
        }
        if (!chosen.equals("local")) {
            throw new InvalidInputException("--via is '" + via + "'; give ssm or local.");
        }
        if (environment != null || cluster != null || service != null || container != null) {
            throw new InvalidInputException("--environment, --cluster, --service and --container are for --via ssm; locally give --dir.");
        }
        if (dir == null) {
            dir = Path.of(Watermark.DEFAULT_DIR);
        }
        Watermark watermark = new Watermark(dir);
        switch (action) {
            case "status" -> {
                WatermarkStatus s = watermark.status();
                out.result(s, describe(s, dir.toString()));
                return Main.OK;
            }
            case "hide" -> report(out, watermark.hide());
            case "restore" -> report(out, watermark.restore());
            case "replace" -> report(out, watermark.replace(files.get(0)));
            default -> throw new InvalidInputException("Unknown action '" + action + "': use status, hide, restore, replace FILE or check FILE...");
        }
        return Main.OK;
    }

    /** Through SSM Run Command on the host that runs the web task: the same actions, the same rules. */
    private int overSsm(Output out) {
        RemoteWatermark.Target target;
        String region;
        if (environment != null) {
            if (cluster != null || service != null) {
                throw new InvalidInputException("Give --environment or --cluster/--service, not both.");
            }
            Environments.Environment env = config.load().environment(environment);
            if (env.watermark() == null) {
                throw new InvalidInputException("Environment " + environment + " has no jitsi service and no watermark section: add "
                        + "watermark: {service: KEY} to the environments file, or give --cluster and --service.");
            }
            target = new RemoteWatermark.Target(env.cluster(), env.service(env.watermark().service()).serviceName(),
                    container != null ? container : env.watermark().container(), dir != null ? dir.toString() : env.watermark().dir());
            region = env.region();
        } else {
            if (cluster == null) {
                throw new InvalidInputException("Over SSM give --environment NAME, or --cluster CLUSTER (and --service if it is not jitsi).");
            }
            target = new RemoteWatermark.Target(cluster, service != null ? service : Environments.Watermark.DEFAULT_SERVICE,
                    container != null ? container : Environments.Watermark.DEFAULT_CONTAINER,
                    dir != null ? dir.toString() : Watermark.DEFAULT_DIR);
            region = null;
        }
        var aws = main.aws(region);
        RemoteWatermark remote = new RemoteWatermark(aws.ecs(), aws.ssm(), main.scheduler(), RemoteWatermark.DEFAULT_TIMEOUT, out.progress());
        WatermarkResult r = switch (action) {
            case "status" -> remote.status(target);
            case "hide" -> remote.hide(target);
            case "restore" -> remote.restore(target);
            default -> remote.replace(target, files.get(0));
        };
        String where = target.dir() + " (through SSM, on the host that runs " + target.service() + " in " + target.cluster() + ")";
        out.result(action.equals("status") ? r.status() : r, (action.equals("status") ? "" : r.message() + "\n") + describe(r.status(), where));
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
        out.result(r, r.message() + "\n" + describe(r.status(), dir.toString()));
    }

    private static String describe(WatermarkStatus s, String where) {
        return switch (s.state()) {
            case PRESENT -> "Status: present (the original), sha256 " + s.sha256() + ", in " + where;
            case REPLACED -> "Status: replaced, serving sha256 " + s.sha256() + "; original kept as " + Watermark.BACKUP
                    + " (sha256 " + s.backupSha256() + "), in " + where;
            case HIDDEN -> "Status: hidden; original kept as " + Watermark.BACKUP + " (sha256 " + s.backupSha256() + "), in " + where;
            case MISSING -> "Status: missing: neither " + Watermark.FILE + " nor " + Watermark.BACKUP + " in " + where;
        };
    }
}
