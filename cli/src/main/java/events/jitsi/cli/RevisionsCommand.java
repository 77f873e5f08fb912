package events.jitsi.cli;

import events.jitsi.core.config.Environments;
import events.jitsi.core.status.Revisions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "revisions", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The ACTIVE revisions of a task-definition family, newest first: registration time, images and where each runs.",
                "With --deregister, deregister all but the newest N, never one that any service of the environments' clusters",
                "runs or deploys, never one registered in the last day (with --include-undeployed: also the newer ones no task ran);",
                "a dry run unless --yes."})
final class RevisionsCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--family", required = true, description = "The task-definition family, e.g. jitsi-meet-task.")
    String family;

    @Mixin
    EnvironmentsOption config;

    @Option(names = "--keep", defaultValue = "5", description = "With --deregister: keep the newest N (default ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--deregister", description = "Deregister the revisions nothing needs (see above).")
    boolean deregister;

    @Option(names = "--yes", description = "With --deregister: do it; without, only say what would be deregistered.")
    boolean yes;

    @Option(names = "--include-undeployed", description = "With --deregister: also the revisions newer than any that runs that no task "
            + "has run (an interrupted deploy leaves one), however new.")
    boolean includeUndeployed;

    @Override
    public Integer call() {
        Environments file = config.load();
        Revisions.Report r = new Revisions(main.ecs(), env -> main.ecs(env.region()), main.scheduler().clock(), main.output().progress())
                .run(family, file, keep, deregister, !yes, includeUndeployed);
        StringBuilder sb = new StringBuilder();
        for (Revisions.Revision rev : r.revisions()) {
            sb.append(String.format("%-28s %-22s %s%n      %s%n", rev.taskDefinition(), rev.registeredAt(),
                    rev.runsIn().isEmpty() ? "" : "runs in " + String.join(", ", rev.runsIn()),
                    rev.images().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))));
        }
        if (deregister) {
            sb.append(r.deregistered().isEmpty() ? "Nothing to deregister."
                    : (r.dryRun() ? "Would deregister (give --yes to do it): " : "Deregistered: ") + String.join(", ", r.deregistered()));
        }
        main.output().result(r, sb.toString().stripTrailing());
        return Main.OK;
    }
}
