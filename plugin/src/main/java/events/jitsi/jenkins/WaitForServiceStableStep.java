package events.jitsi.jenkins;

import com.google.common.util.concurrent.ListenableFuture;
import edu.umd.cs.findbugs.annotations.NonNull;
import events.jitsi.core.pipeline.PipelineSteps;
import events.jitsi.core.pipeline.ResumableWait;
import events.jitsi.core.pipeline.WaitStepState;
import hudson.Extension;
import hudson.model.TaskListener;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HashMap;
import events.jitsi.core.pipeline.WaitArguments;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code waitForServiceStable}: waits for an ECS deployment to complete, fails as soon as it cannot (rollout FAILED,
 * circuit-breaker rollback, repeated task failures), and with {@code rollbackOnFailure} puts {@code rollbackTo} back.
 */
public final class WaitForServiceStableStep extends EcsServiceStep {
    private static final Logger LOGGER = Logger.getLogger(WaitForServiceStableStep.class.getName());

    private String deploymentId;
    private Integer timeout;
    private Integer rollbackTimeout;
    private boolean rollbackOnFailure;
    private String rollbackTo;
    private boolean deregisterFailedRevision;

    @DataBoundConstructor
    public WaitForServiceStableStep(String cluster, String service) {
        super(cluster, service);
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

    /** Minutes the rollback may take; default: the same as timeout. */
    public Integer getRollbackTimeout() {
        return rollbackTimeout;
    }

    @DataBoundSetter
    public void setRollbackTimeout(Integer rollbackTimeout) {
        this.rollbackTimeout = rollbackTimeout;
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
        return new WaitArguments(awsAccess(), getCluster(), getService(), deploymentId, timeout, rollbackTimeout, rollbackOnFailure, rollbackTo,
                deregisterFailedRevision).toMap();
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        try {
            return new Execution(context, arguments());
        } catch (RuntimeException e) {
            throw Failures.forJenkins("waitForServiceStable", e);
        }
    }

    /**
     * Like {@code sleep}, it holds no thread while waiting and survives a controller restart: it keeps its arguments
     * and its {@link WaitStepState} (phase, deployment, start, absolute deadline, events printed) as maps of JDK values,
     * registers with the controller's {@link SharedWaits} and, after a restart, registers again from the saved phase.
     */
    public static final class Execution extends StepExecution {
        private static final long serialVersionUID = 3L;

        private final HashMap<String, Object> arguments;
        /** The state as last saved; JDK types only, so that Jenkins reads it back whatever this plugin bundles. */
        private volatile HashMap<String, Object> saved;

        private transient volatile WaitStepState state;
        private transient volatile ResumableWait run;
        private transient volatile SharedWaits.Lease lease;

        Execution(StepContext context, HashMap<String, Object> arguments) {
            super(context);
            this.arguments = arguments;
            this.state = ResumableWait.newState(WaitArguments.of(arguments), Clock.systemUTC());
            this.saved = state.toMap();
        }

        private WaitStepState state() {
            WaitStepState s = state;
            if (s == null) {
                s = WaitStepState.fromMap(saved);
                state = s;
            }
            return s;
        }

        @Override
        public boolean start() throws Exception {
            try {
                begin();
            } catch (RuntimeException e) {
                release();
                throw Failures.forJenkins("waitForServiceStable", e);
            }
            return false;
        }

        @Override
        public void onResume() {
            try {
                getContext().get(TaskListener.class).getLogger().println("Resuming waitForServiceStable after a restart: "
                        + state().describe(String.valueOf(arguments.get("service"))) + ".");
                begin();
            } catch (Exception e) {
                release();
                getContext().onFailure(Failures.forJenkins("waitForServiceStable", e));
            }
        }

        /** Registers with the shared engine and starts (or resumes) the run; does not block. */
        private void begin() throws IOException, InterruptedException {
            PrintStream log = getContext().get(TaskListener.class).getLogger();
            AwsConnection connection = AwsConnection.resolve(getContext(), WaitArguments.of(arguments).aws());
            SharedWaits.Lease l = SharedWaits.get().lease(connection);
            lease = l;
            ResumableWait r = new ResumableWait(WaitArguments.of(arguments), state(), l.ecs(), l.waits(), l.scheduler(), log::println, new Outcome());
            run = r;
            r.resume();
        }

        @Override
        public void stop(@NonNull Throwable cause) throws Exception {
            ResumableWait r = run;
            if (r != null) {
                r.stop();
            }
            release();
            super.stop(cause);
        }

        @Override
        public String getStatus() {
            ResumableWait r = run;
            return r == null ? "not running: " + state().describe(String.valueOf(arguments.get("service"))) : r.status();
        }

        private void release() {
            SharedWaits.Lease l = lease;
            lease = null;
            if (l != null) {
                l.release();
            }
        }

        /** Where the run reports, on the shared engine's thread, which it must never block. */
        private final class Outcome implements ResumableWait.Outcome {
            @Override
            public CompletionStage<?> saveState() {
                saved = state().toMap();
                CompletableFuture<Void> done = new CompletableFuture<>();
                ListenableFuture<Void> saving = getContext().saveState();
                saving.addListener(() -> {
                    try {
                        saving.get();
                        done.complete(null);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        done.completeExceptionally(e);
                    } catch (ExecutionException e) {
                        LOGGER.log(Level.WARNING, "Could not save the state of waitForServiceStable (" + state() + ")", e.getCause());
                        done.completeExceptionally(e.getCause());
                    }
                }, Runnable::run);
                return done;
            }

            @Override
            public void succeeded(Map<String, Object> result) {
                release();
                getContext().onSuccess(new HashMap<>(result));
            }

            @Override
            public void failed(RuntimeException error) {
                release();
                getContext().onFailure(Failures.forJenkins("waitForServiceStable", error));
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

    }
}
