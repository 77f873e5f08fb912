package events.jitsi.core.status;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.config.Environments;
import events.jitsi.core.config.Environments.Environment;
import events.jitsi.core.config.Environments.ServiceConfig;
import events.jitsi.core.ecs.TaskDefinitions;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The ACTIVE revisions of a task-definition family, newest first, with when each was registered, its images and
 * where it runs (the engine behind {@code events-jitsi revisions}); and the clean-up ECS never does itself: deregister
 * all but the newest {@code keep}, never one that a service of the environments file runs or is deploying, and never
 * one registered in the last day (it may have been deployed and rolled back since).
 */
public final class Revisions {
    static final Duration RECENT = Duration.ofDays(1);

    private final Function<Environment, EcsClient> clients;
    private final EcsClient ecs;
    private final Clock clock;
    private final Consumer<String> log;

    public Revisions(EcsClient ecs, Function<Environment, EcsClient> clients, Clock clock, Consumer<String> log) {
        this.ecs = ecs;
        this.clients = clients;
        this.clock = clock;
        this.log = log;
    }

    /** One revision: {@code runsIn} names environment/service for every deployment of it; {@code keep} says why it stays. */
    public record Revision(String taskDefinition, int revision, Instant registeredAt, Map<String, String> images, List<String> runsIn,
                           String keep) {
    }

    public record Report(String family, List<Revision> revisions, List<String> deregistered, boolean dryRun) {
    }

    public Report run(String family, Environments config, int keep, boolean deregister, boolean dryRun) {
        if (family == null || !family.matches("[A-Za-z0-9_-]{1,255}")) {
            throw new InvalidInputException("'" + family + "' is not a task-definition family name.");
        }
        if (keep < 1) {
            throw new InvalidInputException("--keep must be 1 or more, got " + keep + ".");
        }
        List<String> names = TaskDefinitions.newestRevisions(ecs, family, Integer.MAX_VALUE);
        if (names.isEmpty()) {
            throw new InvalidInputException("Family " + family + " has no ACTIVE revisions.");
        }
        Map<String, List<String>> runs = whereRevisionsRun(config);
        Instant recent = clock.instant().minus(RECENT);
        List<Revision> revisions = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            TaskDefinition td = TaskDefinitions.describe(ecs, names.get(i)).taskDefinition();
            Map<String, String> images = new LinkedHashMap<>();
            for (ContainerDefinition c : td.containerDefinitions()) {
                images.put(c.name(), c.image());
            }
            List<String> runsIn = runs.getOrDefault(names.get(i), List.of());
            String why = !runsIn.isEmpty() ? "runs in " + String.join(", ", runsIn)
                    : i < keep ? "one of the newest " + keep
                    : td.registeredAt() != null && td.registeredAt().isAfter(recent) ? "registered in the last day" : null;
            revisions.add(new Revision(names.get(i), td.revision(), td.registeredAt(), images, runsIn, why));
        }
        List<String> deregistered = new ArrayList<>();
        if (deregister) {
            for (Revision r : revisions) {
                if (r.keep() == null) {
                    if (!dryRun) {
                        ecs.deregisterTaskDefinition(d -> d.taskDefinition(r.taskDefinition()));
                    }
                    deregistered.add(r.taskDefinition());
                    log.accept((dryRun ? "Would deregister " : "Deregistered ") + r.taskDefinition() + ".");
                }
            }
        }
        return new Report(family, revisions, deregistered, dryRun);
    }

    /** Revision name (family:rev) to the environment/service of every deployment that runs it. */
    private Map<String, List<String>> whereRevisionsRun(Environments config) {
        Map<String, List<String>> runs = new LinkedHashMap<>();
        for (Environment env : config.environments().values()) {
            List<String> services = env.services().values().stream().map(ServiceConfig::serviceName).distinct().toList();
            for (int i = 0; i < services.size(); i += 10) {
                List<String> batch = services.subList(i, Math.min(services.size(), i + 10));
                for (Service s : clients.apply(env).describeServices(d -> d.cluster(env.cluster()).services(batch)).services()) {
                    TreeSet<String> definitions = new TreeSet<>();
                    s.deployments().stream().map(Deployment::taskDefinition).forEach(definitions::add);
                    definitions.add(s.taskDefinition());
                    for (String td : definitions) {
                        runs.computeIfAbsent(TaskDefinitions.shortName(td), k -> new ArrayList<>()).add(env.name() + "/" + s.serviceName());
                    }
                }
            }
        }
        return runs;
    }
}
