package events.jitsi.cli;

import events.jitsi.core.config.Environments;
import events.jitsi.core.status.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"What runs where right now, per service and environment side by side; read-only.",
                "Revision, each container's image ('*' where environments differ), deployment state, age of the last deployment and the",
                "last service event."})
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    EnvironmentsOption config;

    @Option(names = "--environment", paramLabel = "NAME", description = "Only this environment (repeatable; default: all).")
    List<String> environments = new ArrayList<>();

    @Override
    public Integer call() {
        Environments file = config.load();
        Status.Report report = new Status(env -> main.ecs(env.region()), main.scheduler().clock()).run(file, environments);
        main.output().result(report, table(report));
        return Main.OK;
    }

    /** One block per service: a row per fact, a column per environment. */
    static String table(Status.Report report) {
        StringBuilder sb = new StringBuilder();
        for (Status.ServiceRow row : report.services()) {
            List<String> header = new ArrayList<>(List.of(row.key()));
            header.addAll(report.environments());
            List<List<String>> lines = new ArrayList<>();
            lines.add(header);
            lines.add(line(row, report, "  revision", Status.ServiceState::taskDefinition, false));
            Set<String> containers = new LinkedHashSet<>();
            row.environments().values().forEach(s -> containers.addAll(s.images().keySet()));
            for (String container : containers) {
                lines.add(line(row, report, "  " + container, s -> s.images().get(container), row.differences().contains(container)));
            }
            lines.add(line(row, report, "  deployment", s -> s.rolloutState() == null ? null : s.rolloutState() + " " + s.running() + "/"
                    + s.desired() + (s.pending() != null && s.pending() > 0 ? ", " + s.pending() + " pending" : "")
                    + (s.deployments() > 1 ? ", " + s.deployments() + " deployments" : ""), false));
            lines.add(line(row, report, "  deployed", s -> s.lastDeploymentAge() == null ? null : age(s.lastDeploymentAge()) + " ago", false));
            lines.add(line(row, report, "  last event", s -> s.lastEvent() == null ? null : abbreviate(s.lastEvent()), false));
            sb.append(columns(lines)).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    private static List<String> line(Status.ServiceRow row, Status.Report report, String label, Function<Status.ServiceState, String> value,
                                     boolean differs) {
        List<String> cells = new ArrayList<>(List.of(label));
        for (String env : report.environments()) {
            Status.ServiceState s = row.environments().get(env);
            String v = s == null ? "(not in this environment)" : s.error() != null ? "(" + s.error() + ")" : value.apply(s);
            cells.add((differs ? "* " : "") + (v == null ? "-" : v));
        }
        return cells;
    }

    private static String columns(List<List<String>> lines) {
        int[] width = new int[lines.get(0).size()];
        for (List<String> l : lines) {
            for (int i = 0; i < l.size(); i++) {
                width[i] = Math.max(width[i], l.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> l : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < l.size(); i++) {
                line.append(String.format("%-" + (width[i] + 2) + "s", l.get(i)));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s < 172_800 ? s / 3600 + " h" : s / 86_400 + " days";
    }

    private static String abbreviate(String s) {
        return s.length() <= 48 ? s : s.substring(0, 45) + "...";
    }
}
