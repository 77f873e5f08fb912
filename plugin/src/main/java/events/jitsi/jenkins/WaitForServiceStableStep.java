package events.jitsi.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import events.jitsi.core.ecs.DeployResult;
import events.jitsi.core.ecs.GuardedRollout;
import events.jitsi.core.ecs.RolloutResult;
import events.jitsi.core.ecs.WaitForStable;
import events.jitsi.core.ecs.WaitRequest;
import events.jitsi.core.ecs.WaitResult;
import events.jitsi.core.pipeline.PipelineSteps;
import events.jitsi.core.time.RealScheduler;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code waitForServiceStable}: waits for an ECS deployment to complete, fails as soon as it cannot (rollout FAILED,
 * circuit-breaker rollback, repeated task failures), and with {@code rollbackOnFailure} puts {@code rollbackTo} back.
 * Like {@code sleep}, it holds no thread while waiting and survives a controller restart: its state is a few strings
 * and an absolute deadline, polls run on {@link Timer}, and {@link Execution#onResume()} starts polling again.
 */
public final class WaitForServiceStableStep extends AwsStep {
    private final String cluster;
    private final String service;
    private String deploymentId;
    private Integer timeout;
    private boolean rollbackOnFailure;
    private String rollbackTo;
    private boolean deregisterFailedRevision;

    @DataBoundConstructor
    public WaitForServiceStableStep(String cluster, String service) {
        this.cluster = cluster;
        this.service = service;
    }

    public String getCluster() {
        return cluster;
    }

    public String getService() {
        return service;
    }

    public String getDeploymentId() {
        return deploymentId;
    }

    @DataBoundSetter
    public void setDeploymentId(String deploymentId) {
        this.deploymentId = hudson.Util.fixEmptyAndTrim(deploymentId);
    }

    /** Minutes; default 30. */
    public Integer getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(Integer timeout) {
        this.timeout = timeout;
    }

    public boolean isRollbackOnFailure() {
        return rollbackOnFailure;
    }

    @DataBoundSetter
    public void setRollbackOnFailure(boolean rollbackOnFailure) {
        this.rollbackOnFailure = rollbackOnFailure;
    }

    public String getRollbackTo() {
        return rollbackTo;
    }

    @DataBoundSetter
    public void setRollbackTo(String rollbackTo) {
        this.rollbackTo = hudson.Util.fixEmptyAndTrim(rollbackTo);
    }

    public boolean isDeregisterFailedRevision() {
        return deregisterFailedRevision;
    }

    @DataBoundSetter
    public void setDeregisterFailedRevision(boolean deregisterFailedRevision) {
        this.deregisterFailedRevision = deregisterFailedRevision;
    }

    /** The step's arguments by their Pipeline names; plain strings, numbers and booleans, so the execution can keep them. */
    HashMap<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("cluster", cluster);
        a.put("service", service);
        a.put("deploymentId", deploymentId);
        a.put("timeout", timeout);
        a.put("rollbackOnFailure", rollbackOnFailure);
        a.put("rollbackTo", rollbackTo);
        a.put("deregisterFailedRevision", deregisterFailedRevision);
        putAwsArguments(a);
        a.values().removeIf(v -> v == null);
        return new HashMap<>(a);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        try {
            return new Execution(context, arguments());
        } catch (RuntimeException e) {
            throw Failures.forJenkins(e);
        }
    }

    public static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;

        private final HashMap<String, Object> arguments;
        /** Absolute, so that a restart waits only for what is left; a rollback gets a full timeout of its own. */
        private volatile long deadline;
        /** The deployment followed: given, or the PRIMARY one at the first poll; the rollback's once rolling back. */
        private volatile String deploymentId;
        /*
         * Set once the awaited deployment failed and the rollback started. Plain strings, not the engine's records:
         * the program state is serialized by Jenkins' own marshalling, which is safest with ordinary fields.
         */
        private volatile boolean rollingBack;
        private volatile String failedDeploymentId;
        private volatile String failedTaskDefinition;
        private volatile String failure;

        private transient volatile CompletableFuture<WaitResult> wait;
        private transient volatile AwsClients clients;

        Execution(StepContext context, HashMap<String, Object> arguments) {
            super(context);
            WaitRequest request = PipelineSteps.waitRequest(arguments);
            this.arguments = arguments;
            this.deploymentId = request.deploymentId();
            this.deadline = System.currentTimeMillis() + request.timeout().toMillis();
        }

        @Override
        public boolean start() throws Exception {
            poll();
            return false;
        }

        @Override
        public void onResume() {
            try {
                getContext().get(TaskListener.class).getLogger().println("Resuming the wait for " + arguments.get("service")
                        + (deploymentId != null ? " (deployment " + deploymentId + ")" : "") + " after a restart.");
                poll();
            } catch (Exception e) {
                getContext().onFailure(e);
            }
        }

        @Override
        public void stop(@NonNull Throwable cause) throws Exception {
            CompletableFuture<WaitResult> w = wait;
            if (w != null) {
                w.cancel(false);
            }
            closeClients();
            super.stop(cause);
        }

        @Override
        public String getStatus() {
            return (rollingBack ? "rolling back, waiting for " : "waiting for ") + arguments.get("service")
                    + (deploymentId != null ? " deployment " + deploymentId : "");
        }

        /** Starts (or restarts) the engine's wait for what is left of the deadline; no thread waits for it. */
        private void poll() throws Exception {
            PrintStream log = getContext().get(TaskListener.class).getLogger();
            WaitRequest base = PipelineSteps.waitRequest(arguments);
            closeClients();
            clients = new AwsClients(getContext());
            RealScheduler scheduler = new RealScheduler(Timer.get());
            WaitForStable engine = new WaitForStable(clients.apply(PipelineSteps.waitAccess(arguments)), scheduler);
            Duration left = Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis()));
            CompletableFuture<WaitResult> w = engine.start(new WaitRequest(base.cluster(), base.service(), deploymentId, left),
                    log::println, this::follow);
            wait = w;
            w.whenComplete((result, error) -> {
                if (error instanceof CancellationException) {
                    return;
                }
                try {
                    if (error != null) {
                        throw error;
                    }
                    finished(result, engine, scheduler, log::println);
                } catch (Throwable t) {
                    closeClients();
                    getContext().onFailure(Failures.forJenkins(t));
                }
            });
        }

        private void follow(String id) {
            deploymentId = id;
            getContext().saveState();
        }

        private void finished(WaitResult result, WaitForStable engine, RealScheduler scheduler, Consumer<String> log) throws Exception {
            GuardedRollout rollout = new GuardedRollout(clients.apply(PipelineSteps.waitAccess(arguments)), engine, scheduler, log);
            if (rollingBack) {
                DeployResult failed = new DeployResult(result.cluster(), result.service(), (String) arguments.get("rollbackTo"),
                        failedTaskDefinition, failedDeploymentId, true, Boolean.TRUE.equals(arguments.get("deregisterFailedRevision")));
                RolloutResult r = rollout.finishRollback(failed, null, result, log);
                closeClients();
                getContext().onFailure(new AbortException(PipelineSteps.rolledBack(failure, r).getMessage()));
                return;
            }
            if (result.succeeded()) {
                closeClients();
                getContext().onSuccess(new HashMap<>(PipelineSteps.waitResult(result)));
                return;
            }
            DeployResult back = PipelineSteps.rollbackOf(arguments, result);
            if (back == null) {
                closeClients();
                getContext().onFailure(new AbortException(result.describe()));
                return;
            }
            log.accept(result.describe());
            String rollbackDeployment = rollout.startRollback(back, log);
            failure = result.describe();
            failedDeploymentId = result.deploymentId();
            failedTaskDefinition = result.taskDefinitionArn();
            rollingBack = true;
            deploymentId = rollbackDeployment;
            deadline = System.currentTimeMillis() + PipelineSteps.waitRequest(arguments).timeout().toMillis();
            getContext().saveState();
            poll();
        }

        private void closeClients() {
            AwsClients c = clients;
            clients = null;
            if (c != null) {
                c.close();
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends AwsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "waitForServiceStable";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Wait for an ECS deployment to complete";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, EnvVars.class);
        }
    }
}
