package events.jitsi.core.ecs;

import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.aws.Batches;
import events.jitsi.core.InvalidInputException;
import events.jitsi.core.time.Scheduler;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.Task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Waits for ECS deployments to finish (the engine behind {@code waitForServiceStable} and {@code events-jitsi wait}).
 *
 * <p>Unlike the SDK's services-stable waiter it waits for one deployment and looks at its rolloutState, so a rollout
 * that the circuit breaker failed or rolled back is a failure, reported as soon as it is seen, with its reasons. One
 * instance serves any number of waits: they share the injected scheduler and hold no thread between polls, and the
 * waits on one cluster are answered together by DescribeServices calls of up to ten services each.
 */
public final class WaitForStable {
    /** Rounds in a row that may fail to reach ECS at all before a wait gives up (each round's call is retried by the SDK). */
    private static final int UNREACHABLE_ROUNDS = 3;

    private final EcsClient ecs;
    private final Scheduler scheduler;
    private final PollingPolicy policy;
    private final Map<String, ClusterPoll> polls = new HashMap<>();

    public WaitForStable(EcsClient ecs, Scheduler scheduler, PollingPolicy policy) {
        this.ecs = ecs;
        this.scheduler = scheduler;
        this.policy = policy;
    }

    public WaitForStable(EcsClient ecs, Scheduler scheduler) {
        this(ecs, scheduler, PollingPolicy.defaults());
    }

    /** Starts a wait; the future completes with its result (it is only exceptional if the caller cancels it). */
    public CompletableFuture<WaitResult> start(WaitRequest request, Consumer<String> log) {
        return start(request, log, WaitListener.NONE);
    }

    /**
     * As {@link #start(WaitRequest, Consumer)}, telling {@code listener} which deployment the wait follows and which
     * events it printed, as soon as that is known, so that a caller that must survive a restart can keep it and resume
     * the same wait.
     */
    public CompletableFuture<WaitResult> start(WaitRequest request, Consumer<String> log, WaitListener listener) {
        if (request.cluster() == null || request.cluster().isBlank() || request.service() == null || request.service().isBlank()) {
            throw new InvalidInputException("A wait needs a cluster and a service.");
        }
        if (request.timeout().isNegative() || request.timeout().isZero()) {
            throw new InvalidInputException("The timeout must be positive, got " + request.timeout() + ".");
        }
        Watch watch = new Watch(request, log, listener, scheduler.clock().instant());
        synchronized (polls) {
            ClusterPoll poll = polls.computeIfAbsent(request.cluster(), ClusterPoll::new);
            poll.watches.add(watch);
            // A wait that knows its deployment (it follows our own UpdateService) need not ask at once.
            Duration firstPoll = request.deploymentId() == null ? Duration.ZERO : policy.initial();
            watch.nextPoll = watch.started.plus(firstPoll);
            poll.scheduleNoLaterThan(watch.nextPoll);
        }
        return watch.result;
    }

    /** Starts a wait and blocks until it ends (in simulated time, lets the simulation run meanwhile). */
    public WaitResult await(WaitRequest request, Consumer<String> log) {
        return scheduler.await(start(request, log));
    }

    private final class Watch {
        final WaitRequest request;
        final Consumer<String> log;
        final WaitListener listener;
        final Instant started;
        /** Where the elapsed time counts from: the first run's start when the wait was resumed. */
        final Instant measuredFrom;
        EventCursor shown;
        final Instant deadline;
        final CompletableFuture<WaitResult> result = new CompletableFuture<>();
        final Set<String> seenEvents = new HashSet<>();
        String deploymentId;
        Instant deploymentCreated;
        Duration interval;
        Instant nextPoll;
        String progress;
        Instant progressAt;
        String lastState = "not yet described";
        String taskDefinition;
        /** Whether a DescribeServices answer ever listed the awaited deployment. */
        boolean seenTarget;
        boolean erroring;
        int unreachableRounds;

        Watch(WaitRequest request, Consumer<String> log, WaitListener listener, Instant started) {
            this.request = request;
            this.log = log;
            this.listener = listener;
            this.started = started;
            this.measuredFrom = request.startedAt() != null && request.startedAt().isBefore(started) ? request.startedAt() : started;
            this.shown = request.shown();
            this.deadline = started.plus(request.timeout());
            this.deploymentId = request.deploymentId();
            this.interval = policy.initial();
        }

        void finish(WaitResult.Outcome outcome, String reason, Service service) {
            List<String> stopped = outcome == WaitResult.Outcome.SUCCEEDED ? List.of() : stoppedReasons();
            List<String> events = outcome == WaitResult.Outcome.SUCCEEDED || service == null ? List.of()
                    : service.events().stream().limit(5).map(ServiceEvent::message).toList();
            Instant now = scheduler.clock().instant();
            result.complete(new WaitResult(outcome, request.cluster(), request.service(), deploymentId, taskDefinition,
                    reason, stopped, events, Duration.between(measuredFrom, now)));
        }

        /**
         * The newest reasons that tasks of the awaited deployment stopped, each with the containers that say why (an exit
         * code, a reason); best effort, a failure here adds nothing.
         */
        private List<String> stoppedReasons() {
            if (deploymentId == null) {
                return List.of();
            }
            try {
                List<String> arns = tasksOf(this);
                if (arns.isEmpty()) {
                    return List.of();
                }
                List<String> batch = arns.size() > 100 ? arns.subList(0, 100) : arns;
                return ecs.describeTasks(d -> d.cluster(request.cluster()).tasks(batch)).tasks().stream()
                        .filter(t -> t.stoppedReason() != null)
                        .sorted(Comparator.comparing(Task::stoppedAt, Comparator.nullsLast(Comparator.reverseOrder())))
                        .map(t -> TaskDefinitions.shortName(t.taskArn()) + ": " + t.stoppedReason() + containersSaying(t))
                        .distinct().limit(3).toList();
            } catch (SdkException e) {
                return List.of();
            }
        }
    }

    /** The waits on one cluster, answered together. */
    private final class ClusterPoll {
        final String cluster;
        final List<Watch> watches = new ArrayList<>();
        Scheduler.Cancellable scheduled;
        Instant scheduledAt;
        boolean running;

        ClusterPoll(String cluster) {
            this.cluster = cluster;
        }

        /** Called with {@code polls} held. */
        void scheduleNoLaterThan(Instant at) {
            if (running) {
                return;
            }
            if (scheduled != null && !scheduledAt.isAfter(at)) {
                return;
            }
            if (scheduled != null) {
                scheduled.cancel();
            }
            scheduledAt = at;
            scheduled = scheduler.schedule(Duration.between(scheduler.clock().instant(), at), this::round);
        }

        /**
         * One round: one DescribeServices call per ten services, then each wait judged. Rounds of one cluster never
         * overlap: while one runs, new waits only mark themselves due, and the round's end schedules the next one.
         * Whatever goes wrong inside a round ends only the wait it concerns, and the next round is always scheduled.
         */
        private void round() {
            List<Watch> current;
            synchronized (polls) {
                scheduled = null;
                running = true;
                watches.removeIf(w -> w.result.isDone());
                current = List.copyOf(watches);
            }
            Instant now = scheduler.clock().instant();
            try {
                judge(current, askEcs(current), now);
            } catch (RuntimeException e) {
                current.forEach(w -> failUnexpectedly(w, e));
            } finally {
                scheduleNextRound(current, now);
            }
        }

        private Map<String, Object> askEcs(List<Watch> current) {
            Set<String> services = new LinkedHashSet<>();
            current.forEach(w -> services.add(w.request.service()));
            Map<String, Object> answers = new HashMap<>();
            List<String> names = new ArrayList<>(services);
            for (List<String> batch : Batches.of(names, Batches.DESCRIBE_SERVICES)) {
                try {
                    ecs.describeServices(d -> d.cluster(cluster).services(batch)).services()
                            .forEach(s -> answers.put(s.serviceName(), s));
                } catch (RuntimeException e) {
                    batch.forEach(name -> answers.put(name, e));
                }
            }
            return answers;
        }

        private void judge(List<Watch> current, Map<String, Object> answers, Instant now) {
            for (Watch w : current) {
                if (w.result.isDone()) {
                    continue;
                }
                Object answer = answers.get(w.request.service());
                Service service = answer instanceof Service s ? s : null;
                try {
                    if (answer instanceof SdkException error) {
                        onError(w, error, now);
                    } else if (answer instanceof RuntimeException error) {
                        throw error;
                    } else {
                        evaluate(w, service, now);
                    }
                    if (!w.result.isDone() && !now.isBefore(w.deadline)) {
                        w.finish(WaitResult.Outcome.TIMED_OUT, "timed out after " + describe(w.request.timeout())
                                + "; last state: " + w.lastState, service);
                    }
                } catch (RuntimeException e) {
                    failUnexpectedly(w, e);
                }
            }
        }

        private void scheduleNextRound(List<Watch> polled, Instant now) {
            synchronized (polls) {
                running = false;
                watches.removeIf(w -> w.result.isDone());
                if (watches.isEmpty()) {
                    polls.remove(cluster, this);
                    return;
                }
                Instant next = null;
                for (Watch w : watches) {
                    Instant due;
                    if (polled.contains(w)) {
                        due = w.nextPoll == null || !w.nextPoll.isAfter(now) ? now.plus(w.interval) : w.nextPoll;
                    } else {
                        // Started while this round ran: it has not been asked yet.
                        due = w.nextPoll.isBefore(now) ? now : w.nextPoll;
                    }
                    if (due.isAfter(w.deadline)) {
                        due = w.deadline;
                    }
                    next = next == null || due.isBefore(next) ? due : next;
                }
                // Every waiting service of the cluster is asked in the next round, so rounds follow the most urgent wait.
                for (Watch w : watches) {
                    w.nextPoll = next;
                }
                scheduleNoLaterThan(next);
            }
        }
    }

    /** The stopped tasks of the awaited deployment (ECS keeps them about an hour); an error here is no answer. */
    private List<String> tasksOf(Watch w) {
        if (w.deploymentId == null) {
            return List.of();
        }
        try {
            return ecs.listTasks(l -> l.cluster(w.request.cluster()).startedBy(w.deploymentId).desiredStatus(DesiredStatus.STOPPED)).taskArns();
        } catch (SdkException e) {
            return List.of();
        }
    }

    /** " (prosody exited with code 1; web: CannotPullContainerError: ...)": the containers of a stopped task that say why. */
    static String containersSaying(Task t) {
        List<String> said = new ArrayList<>();
        for (var c : t.containers()) {
            if (c.exitCode() != null && c.exitCode() != 0) {
                said.add(c.name() + " exited with code " + c.exitCode() + (c.reason() == null ? "" : ": " + c.reason()));
            } else if (c.reason() != null && !c.reason().isBlank()) {
                // The task's own reason often repeats the container's: then naming the container is enough.
                said.add(c.reason().equals(t.stoppedReason()) ? "in container " + c.name() : c.name() + ": " + c.reason());
            }
        }
        return said.isEmpty() ? "" : " (" + String.join("; ", said) + ")";
    }

    /** Ends a wait on an error the engine did not expect (a failing log consumer, a broken answer): never hangs it. */
    private static void failUnexpectedly(Watch w, RuntimeException e) {
        if (w.result.isDone()) {
            return;
        }
        try {
            w.finish(WaitResult.Outcome.FAILED, "the wait stopped on an unexpected error: " + e, null);
        } catch (RuntimeException again) {
            e.addSuppressed(again);
            w.result.completeExceptionally(e);
        }
    }

    private void onError(Watch w, SdkException error, Instant now) {
        Throwable unreachable = AwsServices.unreachableCause(error);
        if (unreachable != null && ++w.unreachableRounds >= UNREACHABLE_ROUNDS) {
            w.finish(WaitResult.Outcome.UNREACHABLE, "cannot reach ECS (" + unreachable + ") in " + UNREACHABLE_ROUNDS
                    + " rounds; check the endpoint, the region and the network", null);
            return;
        }
        boolean transientError = error instanceof SdkClientException
                || (error instanceof AwsServiceException a && (a.isThrottlingException() || a.statusCode() >= 500));
        if (!transientError) {
            w.finish(WaitResult.Outcome.FAILED, "ECS refused DescribeServices: " + error.getMessage(), null);
            return;
        }
        w.interval = policy.next(w.interval, false);
        if (!w.erroring) {
            w.erroring = true;
            w.log.accept("ECS answered DescribeServices with " + errorName(error) + "; still waiting, next try in "
                    + describe(w.interval) + ".");
        }
        w.nextPoll = now.plus(w.interval);
    }

    private void evaluate(Watch w, Service s, Instant now) {
        w.erroring = false;
        w.unreachableRounds = 0;
        if (s == null) {
            w.finish(WaitResult.Outcome.FAILED, "service " + w.request.service() + " does not exist in cluster " + w.request.cluster(), null);
            return;
        }
        Deployment primary = DeploymentJudge.primary(s);
        if (w.deploymentId == null && primary != null && "ACTIVE".equals(s.status())) {
            w.deploymentId = primary.id();
            w.log.accept("Waiting for deployment " + primary.id() + " (" + TaskDefinitions.shortName(primary.taskDefinition())
                    + ") of service " + s.serviceName() + " in " + w.request.cluster() + ".");
            w.listener.following(primary.id());
        }
        DeploymentJudge.Verdict verdict = DeploymentJudge.judge(s, w.deploymentId);
        Deployment target = verdict.target();
        if (target != null) {
            w.seenTarget = true;
            w.taskDefinition = target.taskDefinition();
            if (w.deploymentCreated == null) {
                w.deploymentCreated = target.createdAt();
            }
        }
        printNewEvents(w, s);
        switch (verdict.kind()) {
            case SERVICE_INACTIVE -> {
                w.finish(WaitResult.Outcome.FAILED, verdict.reason(), s);
                return;
            }
            case FAILED, FAILING_WITHOUT_BREAKER -> {
                w.finish(WaitResult.Outcome.FAILED, verdict.reason(), s);
                return;
            }
            case SUPERSEDED -> {
                w.finish(WaitResult.Outcome.SUPERSEDED, verdict.reason(), s);
                return;
            }
            case NOT_LISTED -> {
                // Gone without a word, or never there: its tasks (kept about an hour once stopped) tell which.
                boolean existed = w.seenTarget || !tasksOf(w).isEmpty();
                w.finish(existed ? WaitResult.Outcome.SUPERSEDED : WaitResult.Outcome.NOT_FOUND, existed
                        ? DeploymentJudge.supersededBy(verdict.primary())
                        : "no deployment " + w.deploymentId + " on service " + w.request.service() + " in " + w.request.cluster()
                        + "; its deployments are " + s.deployments().stream().map(d -> d.id() + " (" + d.status() + ", "
                        + TaskDefinitions.shortName(d.taskDefinition()) + ")").reduce((a, b) -> a + ", " + b).orElse("none"), s);
                return;
            }
            case COMPLETED -> {
                w.log.accept("Deployment " + target.id() + " of service " + s.serviceName() + " completed: "
                        + target.runningCount() + "/" + target.desiredCount() + " tasks of "
                        + TaskDefinitions.shortName(target.taskDefinition()) + " running.");
                w.finish(WaitResult.Outcome.SUCCEEDED, null, s);
                return;
            }
            case IN_PROGRESS -> { }
        }
        String rollout = target.rolloutStateAsString();
        w.lastState = "deployment " + target.id() + " " + (rollout == null ? "(no rollout state)" : rollout) + ", running "
                + target.runningCount() + "/" + target.desiredCount() + ", pending " + target.pendingCount()
                + ", failed tasks " + target.failedTasks() + ", " + s.deployments().size() + " deployment(s) on the service";
        int failed = target.failedTasks() == null ? 0 : target.failedTasks();

        String progress = target.runningCount() + "/" + target.pendingCount() + "/" + failed + "/" + s.deployments().size()
                + "/" + s.runningCount();
        boolean progressed = w.progress != null && !w.progress.equals(progress);
        if (w.progress == null || progressed) {
            w.progressAt = now;
        }
        w.progress = progress;
        String unplaced = Duration.between(w.progressAt, now).compareTo(policy.placementStall()) >= 0 ? placementFailure(w, s) : null;
        if (unplaced != null) {
            // ECS keeps trying to place the tasks for ever and never fails the rollout; say why it does not move.
            w.finish(WaitResult.Outcome.FAILED, "ECS has not been able to place the deployment's tasks, and the rollout has made "
                    + "no progress for " + describe(Duration.between(w.progressAt, now)) + ": " + unplaced, s);
            return;
        }
        // The end is near when the new tasks run and old ones drain, or, in a rollout that stops the old tasks first
        // (minimum healthy 0%), when every new task is placed and no old one serves any more.
        boolean nearEnd = (target.runningCount() >= target.desiredCount() && s.deployments().size() > 1)
                || (target.pendingCount() > 0 && target.runningCount() + target.pendingCount() >= target.desiredCount()
                && Objects.equals(s.runningCount(), target.runningCount()));
        w.interval = nearEnd || failed > 0 ? policy.fast() : policy.next(w.interval, progressed);
        w.nextPoll = now.plus(w.interval);
    }

    /** The newest "unable to place a task" event since the awaited deployment began, or null. */
    private static String placementFailure(Watch w, Service s) {
        Instant since = w.deploymentCreated != null ? w.deploymentCreated : w.started;
        return s.events().stream()
                .filter(e -> e.createdAt() != null && !e.createdAt().isBefore(since) && e.message() != null
                        && e.message().contains("unable to place a task"))
                .map(ServiceEvent::message).findFirst().orElse(null);
    }

    private static void printNewEvents(Watch w, Service s) {
        Instant since = w.deploymentCreated != null && w.deploymentCreated.isBefore(w.started) ? w.deploymentCreated : w.started;
        List<ServiceEvent> fresh = new ArrayList<>();
        // ECS lists events newest first; walk them oldest first so that events of the same second keep their order.
        List<ServiceEvent> oldestFirst = new ArrayList<>(s.events());
        java.util.Collections.reverse(oldestFirst);
        for (ServiceEvent e : oldestFirst) {
            if (e.createdAt() != null && !e.createdAt().isBefore(since) && (w.shown == null || !w.shown.covers(e))
                    && w.seenEvents.add(e.id())) {
                fresh.add(e);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        fresh.sort(Comparator.comparing(ServiceEvent::createdAt));
        for (ServiceEvent e : fresh) {
            w.log.accept(e.createdAt() + " " + e.message());
            w.shown = EventCursor.after(w.shown, e);
        }
        w.listener.printed(w.shown);
    }

    private static String errorName(SdkException e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode() + " (" + a.awsErrorDetails().errorMessage() + ")";
        }
        return e.getClass().getSimpleName() + " (" + e.getMessage() + ")";
    }

    static String describe(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 && s >= 60 ? (s / 60) + " min" : s + " s";
    }
}
