package events.jitsi.cli;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.config.Environments;
import events.jitsi.core.config.Environments.Environment;
import events.jitsi.core.ecs.Promote;
import events.jitsi.core.ecs.PromotionPlan;
import events.jitsi.core.ecs.PromotionRequest;
import events.jitsi.core.ecs.PromotionResult;
import events.jitsi.core.ecs.ServiceRef;
import events.jitsi.core.ecs.TaskDefinitions;
import events.jitsi.core.ecs.WaitForStable;
import events.jitsi.core.verify.Check;
import events.jitsi.core.verify.Verify;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "promote", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Promote the images a service runs on one environment to the next: the target's own task definition "
                + "with the source's images, nothing else. Shows the diff, asks, deploys, waits, rolls back on failure."})
final class PromoteCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--service", required = true, description = "The service key in the environments file, e.g. jitsi or matrix.")
    String service;

    @Option(names = "--from", defaultValue = "staging", description = "Source environment (default ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", defaultValue = "production", description = "Target environment (default ${DEFAULT-VALUE}).")
    String to;

    @Mixin
    EnvironmentsOption config;

    @Option(names = "--rollback-timeout", converter = DurationConverter.class, defaultValue = "30m",
            description = "How long to wait for production's rollback if the rollout fails (default ${DEFAULT-VALUE}).")
    Duration rollbackTimeout;

    @Option(names = "--skip-source-check", description = "Promote even if the source service is not settled or fails its ECS checks.")
    boolean skipSourceCheck;

    @Option(names = "--dry-run", description = "Print the plan and the diff; make no write call.")
    boolean dryRun;

    @Option(names = "--yes", description = "Do not ask before writing.")
    boolean yes;

    @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "30m",
            description = "How long to wait for the rollout, and for a rollback (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws IOException {
        Environments environments = config.load();
        Environment source = environments.environment(from);
        Environment target = environments.environment(to);
        EcsClient sourceEcs = main.ecs(source.region());
        EcsClient targetEcs = main.ecs(target.region());
        Output out = main.output();
        if (skipSourceCheck) {
            out.progress().accept("Not checking " + from + "'s " + service + " first (--skip-source-check): its images are promoted as they are.");
        } else {
            List<Check> failed = new Verify(env -> main.aws(source.region()), null, null).sourceChecks(environments, from, service).stream()
                    .filter(c -> c.status() == Check.Status.FAILED).toList();
            if (!failed.isEmpty()) {
                throw new InvalidInputException("Not promoted: " + from + "'s " + service + " is not ready to promote from:\n  "
                        + failed.stream().map(c -> c.name() + ": " + c.message()).collect(Collectors.joining("\n  "))
                        + (failed.stream().allMatch(c -> c.name().equals("newest-revision")) ? "\nWaiting will not change that; "
                        : "\nLet it settle (events-jitsi wait), or ") + "give --skip-source-check to promote anyway. Nothing was changed.");
            }
        }
        ServiceRef targetRef = new ServiceRef(target.cluster(), target.service(service).serviceName());
        Interruption interruption = Interruption.watch(targetEcs, targetRef.cluster(), targetRef.service(), System.err);
        try {
            return promote(environments, source, target, sourceEcs, targetEcs, out, interruption);
        } finally {
            interruption.close();
        }
    }

    private int promote(Environments environments, Environment source, Environment target, EcsClient sourceEcs, EcsClient targetEcs,
                        Output out, Interruption interruption) throws IOException {
        Promote promote = new Promote(sourceEcs, targetEcs, new WaitForStable(targetEcs, main.scheduler()), main.scheduler(), out.progress(),
                interruption);
        PromotionPlan plan = promote.plan(new PromotionRequest(from, new ServiceRef(source.cluster(), source.service(service).serviceName()),
                to, new ServiceRef(target.cluster(), target.service(service).serviceName()), environments.rulesFor(service)));

        out.progress().accept(describe(plan));
        if (plan.changesNothing() || dryRun) {
            PromotionResult r = plan.changesNothing() ? promote.execute(plan, timeout) : promote.dryRun(plan);
            out.result(r, plan.changesNothing() ? "Nothing to promote: " + to + " already runs " + from + "'s images."
                    : "Dry run: nothing was changed.");
            return Main.OK;
        }
        if (!yes && !confirmed(out)) {
            out.result(promote.dryRun(plan), "Not promoted: not confirmed (answer yes, or give --yes). Nothing was changed.");
            return Main.FAILED;
        }
        PromotionResult r = promote.execute(plan, timeout, rollbackTimeout);
        out.result(r, summary(r));
        return r.succeeded() ? Main.OK : Main.FAILED;
    }

    private boolean confirmed(Output out) throws IOException {
        String question = "Promote " + service + " to " + to + "? Type yes to go on: ";
        String answer;
        if (System.console() != null) {
            answer = System.console().readLine(question);
        } else {
            out.progress().accept(question);
            answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).equals("yes");
    }

    static String describe(PromotionPlan plan) {
        PromotionRequest r = plan.request();
        StringBuilder sb = new StringBuilder();
        sb.append("Promotion of ").append(r.target().service()).append(": ").append(r.sourceName()).append(" runs ")
                .append(TaskDefinitions.shortName(plan.sourceTaskDefinitionArn())).append(", ").append(r.targetName()).append(" runs ")
                .append(TaskDefinitions.shortName(plan.targetTaskDefinitionArn())).append('\n');
        if (plan.images().isEmpty() && plan.environmentChanges().isEmpty()) {
            sb.append("  no image differs\n");
        }
        plan.images().forEach(i -> sb.append("  ").append(i.container()).append(": ").append(i.from()).append(" -> ").append(i.to()).append('\n'));
        plan.environmentChanges().forEach(e -> sb.append("  environment ").append(e).append(" from ").append(r.sourceName()).append('\n'));
        if (!plan.diff().isEmpty()) {
            sb.append(plan.diff());
        }
        return sb.toString().stripTrailing();
    }

    static String summary(PromotionResult r) {
        String service = r.target().service();
        return switch (r.outcome()) {
            case PROMOTED -> "Promoted " + service + " to " + r.targetName() + ": " + TaskDefinitions.shortName(r.targetPreviousTaskDefinitionArn())
                    + " -> " + TaskDefinitions.shortName(r.targetNewTaskDefinitionArn()) + " (images of "
                    + TaskDefinitions.shortName(r.sourceTaskDefinitionArn()) + ").";
            case UNCHANGED -> "Nothing to promote.";
            case DRY_RUN -> "Dry run: nothing was changed.";
            case ROLLED_BACK -> "FAILED and rolled back: " + service + " in " + r.targetName() + " runs "
                    + TaskDefinitions.shortName(r.targetPreviousTaskDefinitionArn()) + " again.";
            case FAILED -> "FAILED: " + service + " in " + r.targetName() + " did not take the new revision.";
            case ROLLBACK_FAILED -> "FAILED, and the rollback failed too: look at " + service + " in " + r.targetName() + " now.";
            case SUPERSEDED -> "STOPPED: someone else deployed to " + service + " in " + r.targetName() + " during the promotion ("
                    + r.rollout().rollout().reason() + "); nothing was rolled back.";
        };
    }
}
