package events.jitsi.core.status;

import events.jitsi.core.aws.Arns;
import events.jitsi.core.aws.Batches;
import events.jitsi.core.InvalidInputException;
import events.jitsi.core.config.Environments;
import events.jitsi.core.config.Environments.Environment;
import events.jitsi.core.ecs.TaskDefinitions;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The ACTIVE revisions of a task-definition family, newest first, with when each was registered, its images and
 * where it runs (the engine behind {@code events-jitsi revisions}); and the clean-up ECS never does itself: deregister
 * all but the newest {@code keep}, never one that any service of the environments' clusters runs or is deploying (every
 * service of each cluster is asked, not only those the file names), and never one registered in the last day (it may
 * have been deployed and rolled back since). With {@code includeUndeployed}, also the revisions newer than any that runs
 * and that no task has run (what an interrupted deploy leaves behind), whatever their age and place.
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
        return run(family, config, keep, deregister, dryRun, false);
    }

    public Report run(String family, Environments config, int keep, boolean deregister, boolean dryRun, boolean includeUndeployed) {
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
        Set<String> undeployed = includeUndeployed ? undeployedNewerThanWhatRuns(family, names, runs, config) : Set.of();
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
                    : undeployed.contains(names.get(i)) ? null
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

    /**
     * The revisions of {@code family} newer than the newest one any service runs, that no task has run as far as ECS
     * remembers (it keeps stopped tasks for about an hour): registered for a deploy that never happened.
     */
    private Set<String> undeployedNewerThanWhatRuns(String family, List<String> names, Map<String, List<String>> runs, Environments config) {
        int newestRunning = runs.keySet().stream().filter(n -> TaskDefinitions.familyOf(n).equals(family))
                .mapToInt(TaskDefinitions::revisionOf).max().orElse(Integer.MAX_VALUE);
        Set<String> ran = new HashSet<>();
        for (String cluster : clusters(config).keySet()) {
            EcsClient c = clusters(config).get(cluster);
            List<String> stopped = new ArrayList<>();
            c.listTasksPaginator(l -> l.cluster(cluster).family(family).desiredStatus(DesiredStatus.STOPPED)).taskArns().forEach(stopped::add);
            for (List<String> batch : Batches.of(stopped, Batches.DESCRIBE_TASKS)) {
                c.describeTasks(d -> d.cluster(cluster).tasks(batch)).tasks().forEach(t -> ran.add(TaskDefinitions.shortName(t.taskDefinitionArn())));
            }
        }
        Set<String> out = new TreeSet<>();
        for (String n : names) {
            if (TaskDefinitions.revisionOf(n) > newestRunning && !runs.containsKey(n) && !ran.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Each cluster of the environments file with a client of its environment's region. */
    private Map<String, EcsClient> clusters(Environments config) {
        Map<String, EcsClient> out = new LinkedHashMap<>();
        config.environments().values().forEach(env -> out.putIfAbsent(env.cluster(), clients.apply(env)));
        return out;
    }

    /**
     * Revision name (family:rev) to the environment/service of every deployment that runs it: every service of each
     * environment's cluster (ListServices), not only those the file names, so that no other service's revision is
     * taken for unused.
     */
    private Map<String, List<String>> whereRevisionsRun(Environments config) {
        Map<String, List<String>> runs = new LinkedHashMap<>();
        Set<String> seenClusters = new HashSet<>();
        for (Environment env : config.environments().values()) {
            if (!seenClusters.add(env.cluster())) {
                continue;
            }
            List<String> services = new ArrayList<>();
            clients.apply(env).listServicesPaginator(l -> l.cluster(env.cluster())).serviceArns()
                    .forEach(arn -> services.add(Arns.lastPart(arn)));
            for (List<String> batch : Batches.of(services, Batches.DESCRIBE_SERVICES)) {
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
