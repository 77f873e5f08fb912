package events.jitsi.cli;

import events.jitsi.core.OperationFailedException;
import events.jitsi.core.ecs.DeployListener;
import events.jitsi.core.ecs.DeployRevision;
import events.jitsi.core.ecs.DeploymentJudge;
import events.jitsi.core.ecs.TaskDefinitions;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

import java.io.PrintStream;

/**
 * What Ctrl-C (SIGINT, SIGTERM) leaves of a deploy or a wait: one line that says what ECS is doing now and the command
 * that resumes the wait; a revision this run registered and never deployed is deregistered first (and said so), and
 * anything else in ECS is left alone (and said so). The JVM then exits 130 (143 for SIGTERM), as a shell expects.
 */
final class Interruption implements DeployListener, AutoCloseable {
    /** How long an UpdateService already sent may take to answer before the line is printed anyway. */
    private static final long IN_FLIGHT_MILLIS = 10_000;

    private final EcsClient ecs;
    private final String cluster;
    private final String service;
    private final PrintStream err;
    private final Thread hook = new Thread(this::onInterrupt, "events-jitsi interrupted");
    private final Object lock = new Object();
    private boolean interrupted;
    private boolean inFlight;
    private boolean deployed;
    private String registered;
    private volatile String awaited;
    private volatile boolean done;

    private Interruption(EcsClient ecs, String cluster, String service, PrintStream err) {
        this.ecs = ecs;
        this.cluster = cluster;
        this.service = service;
        this.err = err;
    }

    /** Watches a deploy or a wait of one service until {@link #close()}. */
    static Interruption watch(EcsClient ecs, String cluster, String service, PrintStream err) {
        Interruption i = new Interruption(ecs, cluster, service, err);
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /** The deployment being waited for, for the resume command. */
    void waiting(String deploymentId) {
        awaited = deploymentId;
    }

    @Override
    public void registered(String taskDefinitionArn) {
        synchronized (lock) {
            registered = taskDefinitionArn;
        }
    }

    @Override
    public void beforeUpdate() {
        synchronized (lock) {
            if (interrupted) {
                throw new OperationFailedException("interrupted before the service was updated");
            }
            inFlight = true;
        }
    }

    @Override
    public void updated(String deploymentId) {
        synchronized (lock) {
            deployed = true;
            inFlight = false;
            awaited = deploymentId;
            lock.notifyAll();
        }
    }

    @Override
    public void updateFailed() {
        synchronized (lock) {
            inFlight = false;
            lock.notifyAll();
        }
    }

    @Override
    public void close() {
        done = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it sees done and says nothing.
        }
    }

    /** The shutdown hook's work; also called directly by tests. */
    void onInterrupt() {
        if (done) {
            return;
        }
        String leftBehind;
        synchronized (lock) {
            interrupted = true;
            long until = System.currentTimeMillis() + IN_FLIGHT_MILLIS;
            while (inFlight && System.currentTimeMillis() < until) {
                try {
                    lock.wait(Math.max(1, until - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            leftBehind = registered != null && !deployed ? registered : null;
        }
        StringBuilder line = new StringBuilder("Interrupted: ");
        String resumeWith = awaited;
        try {
            Service s = DeployRevision.describeService(ecs, cluster, service);
            Deployment primary = DeploymentJudge.primary(s);
            boolean ours = resumeWith != null && s.deployments().stream().anyMatch(d -> d.id().equals(awaited));
            resumeWith = ours ? awaited : primary == null ? null : primary.id();
            line.append(service).append(" in ").append(cluster).append(": ECS is at ").append(primary == null ? "no PRIMARY deployment"
                    : "deployment " + primary.id() + " " + primary.rolloutStateAsString() + " (" + TaskDefinitions.shortName(primary.taskDefinition())
                    + ", " + primary.runningCount() + "/" + primary.desiredCount() + " running)").append('.');
        } catch (RuntimeException e) {
            line.append("ECS could not be asked what ").append(service).append(" in ").append(cluster).append(" is doing (").append(e.getMessage()).append(").");
        }
        if (resumeWith != null) {
            line.append(" Resume the wait with: events-jitsi wait --cluster ").append(cluster).append(" --service ").append(service)
                    .append(" --deployment-id ").append(resumeWith).append('.');
        }
        if (leftBehind != null) {
            try {
                ecs.deregisterTaskDefinition(d -> d.taskDefinition(leftBehind));
                line.append(" Deregistered ").append(TaskDefinitions.shortName(leftBehind)).append(", which this run registered and never deployed.");
            } catch (RuntimeException e) {
                line.append(" Could not deregister ").append(TaskDefinitions.shortName(leftBehind)).append(", registered by this run and never "
                        + "deployed (").append(e.getMessage()).append("): deregister it by hand.");
            }
        } else {
            line.append(" ECS was left as it is.");
        }
        err.println(line);
        err.flush();
    }
}
