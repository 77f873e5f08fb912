package events.jitsi.core.watermark;

import events.jitsi.core.aws.Arns;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import events.jitsi.core.InvalidInputException;
import events.jitsi.core.OperationFailedException;
import events.jitsi.core.time.Scheduler;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The watermark without an agent on the hosts: finds the EC2 instance that runs the environment's web task (its ECS
 * service's running task, its container instance), sends it a script with SSM Run Command ({@code AWS-RunShellScript})
 * that works on the host's EFS mount exactly as {@link Watermark} does locally, and waits for the result with its own
 * timeout. A replacement SVG is checked and written anew here, before any AWS call, and travels gzipped inside the
 * script; one that would not fit SSM's size limit is refused before sending. No secret ever goes through SSM: the
 * command history holds the script and the SVG, nothing else.
 */
public final class RemoteWatermark {
    public static final String DOCUMENT = "AWS-RunShellScript";
    /**
     * What the command's parameters may hold: SSM's size limit of a document (64 KB), which the parameters are part of
     * once substituted; the script is counted as the JSON it is sent as.
     */
    public static final int MAX_PARAMETERS_BYTES = 64 * 1024;
    /** How long a caller waits, by default, for the host to answer a command. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);
    /** How long the script may run on the host (the document's executionTimeout). */
    static final int EXECUTION_TIMEOUT_SECONDS = 120;
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Set<CommandInvocationStatus> RUNNING = Set.of(CommandInvocationStatus.PENDING,
            CommandInvocationStatus.IN_PROGRESS, CommandInvocationStatus.DELAYED, CommandInvocationStatus.CANCELLING);

    /** Whose watermark: the cluster, the ECS service whose tasks run the web container, its name, the folder on the host. */
    public record Target(String cluster, String service, String container, String dir) {
    }

    private final EcsClient ecs;
    private final SsmClient ssm;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final Consumer<String> log;

    public RemoteWatermark(EcsClient ecs, SsmClient ssm, Scheduler scheduler, Duration timeout, Consumer<String> log) {
        this.ecs = ecs;
        this.ssm = ssm;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.log = log;
    }

    public WatermarkResult status(Target target) {
        return run(target, "status", null, null, null);
    }

    public WatermarkResult hide(Target target) {
        return run(target, "hide", null, null, null);
    }

    public WatermarkResult restore(Target target) {
        return run(target, "restore", null, null, null);
    }

    /** Checks {@code svg} here, then installs what was checked, written anew, on the host. */
    public WatermarkResult replace(Target target, Path svg) {
        return replace(target, svg.getFileName().toString(), Watermark.readCandidate(svg));
    }

    /** As {@link #replace(Target, Path)}, given the uploaded file's name and bytes (read elsewhere, e.g. on an agent). */
    public WatermarkResult replace(Target target, String fileName, byte[] uploaded) {
        SvgSafety.Verdict verdict = SvgSafety.check(uploaded);
        if (!verdict.accepted()) {
            throw new InvalidInputException(fileName + " is not safe to serve as the watermark, nothing was changed:\n  "
                    + String.join("\n  ", verdict.problems()));
        }
        WatermarkResult r = run(target, "replace", verdict.canonical(), fileName, verdict.dropped());
        return new WatermarkResult(r.action(), r.changed(), r.message(), r.status(), Watermark.sha256(uploaded), verdict.dropped());
    }

    private WatermarkResult run(Target target, String action, byte[] content, String fileName, List<String> dropped) {
        if (!Watermark.isHostFolder(target.dir())) {
            throw new InvalidInputException("The watermark folder '" + target.dir() + "' must be an absolute folder on the host, such as "
                    + Watermark.DEFAULT_DIR + ".");
        }
        String script = WatermarkHostScript.script(action, target.dir(), content);
        Map<String, List<String>> parameters = parameters(script);
        int size = parametersSize(parameters);
        if (size > MAX_PARAMETERS_BYTES) {
            throw new InvalidInputException("The command to the host would be " + size + " bytes; SSM Run Command takes at most "
                    + MAX_PARAMETERS_BYTES + " (64 KiB, its document limit). The SVG, gzipped and encoded, is too large to send: "
                    + "make it smaller (simplify paths, drop embedded images) or use via 'local' on an agent with the EFS mounted; "
                    + "nothing was changed.");
        }
        Host host = findHost(target);
        String comment = "events-jitsi watermark " + action + " " + target.service();
        String commandId = ssm.sendCommand(r -> r.documentName(DOCUMENT).instanceIds(host.instanceId())
                .comment(comment.length() > 100 ? comment.substring(0, 100) : comment)
                .parameters(parameters))
                .command().commandId();
        log.accept("watermark " + action + ": SSM Run Command " + commandId + " on " + host + ", folder " + target.dir());
        GetCommandInvocationResponse invocation = awaitResult(commandId, host);
        WatermarkHostScript.Outcome outcome = WatermarkHostScript.outcome(invocation.standardOutputContent()).orElseThrow(() ->
                new OperationFailedException("The watermark command " + commandId + " on " + host + " ended " + invocation.statusAsString()
                        + " without a result" + errorOutput(invocation) + "; check in the SSM console whether it ran, and whether the folder "
                        + target.dir() + " exists there."));
        return interpret(action, outcome, target, host, fileName, dropped);
    }

    /** The EC2 instance that runs a task of the service with the web container: the EFS folder is mounted there. */
    private Host findHost(Target target) {
        List<String> arns = ecs.listTasks(r -> r.cluster(target.cluster()).serviceName(target.service()).desiredStatus(DesiredStatus.RUNNING))
                .taskArns();
        if (arns.isEmpty()) {
            throw new InvalidInputException("No task of service " + target.service() + " runs in cluster " + target.cluster()
                    + ": the watermark is reached through a host that runs one; nothing was changed.");
        }
        // One DescribeTasks call takes at most 100 tasks; one host is all that is needed.
        List<Task> tasks = ecs.describeTasks(r -> r.cluster(target.cluster()).tasks(arns.subList(0, Math.min(100, arns.size())))).tasks();
        // ECS names a service's tasks' group "service:NAME"; checked as well, so that only that service's tasks count.
        // A running task first; a task still starting is placed on a host too, and the EFS is mounted on every host.
        Task task = tasks.stream().filter(t -> !"STOPPED".equals(t.lastStatus()) && !"DEPROVISIONING".equals(t.lastStatus()))
                .filter(t -> t.group() == null || t.group().equals("service:" + target.service()))
                .filter(t -> t.containers().stream().anyMatch(c -> target.container().equals(c.name())))
                .min(java.util.Comparator.comparing(t -> "RUNNING".equals(t.lastStatus()) ? 0 : 1)).orElseThrow(() -> new InvalidInputException("No task of service " + target.service() + " in cluster "
                        + target.cluster() + " has a container named '" + target.container() + "' (the environments file's "
                        + "watermark.container); nothing was changed."));
        if (task.containerInstanceArn() == null) {
            throw new InvalidInputException("The task " + task.taskArn() + " runs on Fargate: there is no host to send a command to; "
                    + "use via 'local' where the EFS is mounted; nothing was changed.");
        }
        List<ContainerInstance> instances = ecs.describeContainerInstances(r -> r.cluster(target.cluster())
                .containerInstances(task.containerInstanceArn())).containerInstances();
        if (instances.isEmpty() || instances.get(0).ec2InstanceId() == null) {
            throw new InvalidInputException("The container instance " + task.containerInstanceArn() + " of cluster " + target.cluster()
                    + " has no EC2 instance; nothing was changed.");
        }
        String taskId = Arns.lastPart(task.taskArn());
        return new Host(instances.get(0).ec2InstanceId(), taskId, target.service(), target.cluster());
    }

    private record Host(String instanceId, String taskId, String service, String cluster) {
        @Override
        public String toString() {
            return instanceId + " (it runs task " + taskId + " of " + service + " in " + cluster + ")";
        }
    }

    private GetCommandInvocationResponse awaitResult(String commandId, Host host) {
        Instant deadline = scheduler.clock().instant().plus(timeout);
        while (true) {
            try {
                GetCommandInvocationResponse r = ssm.getCommandInvocation(q -> q.commandId(commandId).instanceId(host.instanceId()));
                if (!RUNNING.contains(r.status())) {
                    return r;
                }
            } catch (InvocationDoesNotExistException notYet) {
                // Right after SendCommand the invocation may not be visible yet.
            }
            if (!scheduler.clock().instant().isBefore(deadline)) {
                throw new OperationFailedException("The watermark command " + commandId + " on " + host + " gave no result within "
                        + timeout.toSeconds() + " s; it may still run: see it in the SSM console (Run Command, command history). "
                        + "Is the SSM agent running there, with the instance role AmazonSSMManagedInstanceCore?");
            }
            CompletableFuture<Void> slept = new CompletableFuture<>();
            scheduler.schedule(POLL, () -> slept.complete(null));
            scheduler.await(slept);
        }
    }

    private WatermarkResult interpret(String action, WatermarkHostScript.Outcome o, Target target, Host host, String fileName,
                                      List<String> dropped) {
        String where = target.dir() + " on " + host.instanceId();
        String file = Watermark.FILE;
        String backup = Watermark.BACKUP;
        return switch (o.code()) {
            case "status" -> new WatermarkResult("status", false, "The watermark in " + where + ".", o.status());
            case "already-hidden" -> new WatermarkResult("hide", false, "The watermark is already hidden; the backup " + backup
                    + " is unchanged.", o.status());
            case "hid-original" -> done("hide", "Hid the watermark on " + host.instanceId() + ": " + file + " is now " + backup + ".", o);
            case "removed-replacement" -> done("hide", "Hid the watermark on " + host.instanceId() + ": removed the replacement " + file
                    + "; the original stays in " + backup + ".", o);
            case "restored" -> done("restore", "Restored the original watermark from " + backup + " on " + host.instanceId() + ".", o);
            case "unchanged" -> new WatermarkResult("replace", false, "The watermark already is " + fileName + "; nothing changed.", o.status());
            case "replaced" -> {
                String original = "yes".equals(o.detail()) ? "; the original is kept as " + backup + "."
                        : o.status().backupSha256() != null ? "; the original stays in " + backup + "."
                        : "; there was no watermark before, so there is no backup.";
                String droppedNote = dropped == null || dropped.isEmpty() ? ""
                        : " Left out of the served file (inert): " + String.join(", ", dropped) + ".";
                yield done("replace", "Replaced the watermark on " + host.instanceId() + " with " + fileName + original + droppedNote, o);
            }
            case "nothing-to-hide" -> throw new InvalidInputException("There is no " + file + " and no " + backup + " in " + where
                    + ": nothing to hide. Is this the images folder of the web container?");
            case "no-backup" -> throw new InvalidInputException("There is no backup " + backup + " in " + where + " to restore"
                    + ("yes".equals(o.detail()) ? ": " + file + " is already the original." : "."));
            case "no-folder" -> throw new InvalidInputException("Watermark folder " + where + " does not exist or is not a folder: give "
                    + "the images folder on the EFS mount (the environments file's watermark.dir, default " + Watermark.DEFAULT_DIR + ").");
            case "not-regular" -> {
                String[] parts = o.detail().split(" ");
                throw new InvalidInputException(parts[0] + " in " + where + " is not a regular file (" + ("link".equals(parts[parts.length - 1])
                        ? "a link" : "a folder, FIFO or device") + "); the watermark must be a file in the folder itself. Remove it by hand "
                        + "after checking what it is; nothing was changed.");
            }
            default -> {
                if ("failed".equals(o.outcome())) {
                    throw new OperationFailedException("Could not " + action + " the watermark in " + where + " (" + o.code() + ": " + o.detail()
                            + "); the folder is as it was.");
                }
                throw new OperationFailedException("The watermark command on " + host + " answered '" + o.code() + "', which this version "
                        + "does not know.");
            }
        };
    }

    private static WatermarkResult done(String action, String message, WatermarkHostScript.Outcome o) {
        return new WatermarkResult(action, true, message + " " + Watermark.CACHE_NOTE, o.status());
    }

    private static String errorOutput(GetCommandInvocationResponse r) {
        String err = r.standardErrorContent() == null ? "" : r.standardErrorContent().strip();
        return err.isEmpty() ? "" : " (" + (err.length() > 500 ? err.substring(0, 500) + "..." : err) + ")";
    }

    /** The document's parameters: the script, and how long it may run. */
    static Map<String, List<String>> parameters(String script) {
        return Map.of("commands", List.of(script), "executionTimeout", List.of(String.valueOf(EXECUTION_TIMEOUT_SECONDS)));
    }

    /** The parameters' size as they are sent: JSON, with the script's characters escaped. */
    static int parametersSize(Map<String, List<String>> parameters) {
        try {
            return new ObjectMapper().writeValueAsString(parameters).getBytes(StandardCharsets.UTF_8).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
