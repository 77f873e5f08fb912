package events.jitsi.core.pipeline;

import java.io.Serializable;

/**
 * What a {@code waitForServiceStable} step must keep to be resumed after a controller restart: the phase, the
 * deployment followed, an absolute deadline and, once the awaited deployment failed, what failed. Plain fields only,
 * because Jenkins saves it with the Pipeline's program state in its own serialized form. Every change is saved before
 * the work it announces starts, so a restart at any point resumes into work that is safe to repeat.
 */
public final class WaitStepState implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Phase {
        /** Waiting for the awaited deployment. */
        WAITING,
        /** The awaited deployment failed; the rollback is about to be (or may already have been) started. */
        ROLLBACK_STARTING,
        /** Waiting for the rollback deployment. */
        ROLLING_BACK,
        /** The step has ended; nothing is left to resume. */
        ENDED
    }

    private volatile Phase phase = Phase.WAITING;
    private volatile String deploymentId;
    private volatile long deadlineEpochMillis;
    private volatile String failure;
    private volatile String failedDeploymentId;
    private volatile String failedTaskDefinitionArn;

    WaitStepState(String deploymentId, long deadlineEpochMillis) {
        this.deploymentId = deploymentId;
        this.deadlineEpochMillis = deadlineEpochMillis;
    }

    public Phase phase() {
        return phase;
    }

    public String deploymentId() {
        return deploymentId;
    }

    public long deadlineEpochMillis() {
        return deadlineEpochMillis;
    }

    String failure() {
        return failure;
    }

    String failedDeploymentId() {
        return failedDeploymentId;
    }

    String failedTaskDefinitionArn() {
        return failedTaskDefinitionArn;
    }

    void follow(String deploymentId) {
        this.deploymentId = deploymentId;
    }

    void rollbackStarting(String failure, String failedDeploymentId, String failedTaskDefinitionArn) {
        this.failure = failure;
        this.failedDeploymentId = failedDeploymentId;
        this.failedTaskDefinitionArn = failedTaskDefinitionArn;
        this.phase = Phase.ROLLBACK_STARTING;
    }

    void rollingBack(String rollbackDeploymentId, long deadlineEpochMillis) {
        this.deploymentId = rollbackDeploymentId;
        this.deadlineEpochMillis = deadlineEpochMillis;
        this.phase = Phase.ROLLING_BACK;
    }

    void ended() {
        this.phase = Phase.ENDED;
    }

    /** What the step is doing, for its status and the log line of a resume. */
    public String describe(String service) {
        return switch (phase) {
            case WAITING -> "waiting for " + service + (deploymentId == null ? "" : " deployment " + deploymentId);
            case ROLLBACK_STARTING -> "rolling " + service + " back";
            case ROLLING_BACK -> "rolling back, waiting for " + service + " deployment " + deploymentId;
            case ENDED -> "ended";
        };
    }

    @Override
    public String toString() {
        return phase + (deploymentId == null ? "" : " " + deploymentId);
    }
}
