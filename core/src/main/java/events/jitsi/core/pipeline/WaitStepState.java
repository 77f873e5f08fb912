package events.jitsi.core.pipeline;

import events.jitsi.core.ecs.EventCursor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code waitForServiceStable} step must keep to be resumed after a controller restart: the phase, the
 * deployment followed, when the step started, an absolute deadline, the service events already printed and, once the
 * awaited deployment failed, what failed. Every change is saved before the work it announces starts, so a restart at
 * any point resumes into work that is safe to repeat.
 *
 * <p>It is kept by Jenkins as {@link #toMap()}: JDK types only (strings, longs, a list of strings), because the
 * classes of a library bundled in a plugin are not on Jenkins' class filter's allow-list, and a step's saved state
 * must read back on any later version of this plugin.
 */
public final class WaitStepState {
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
    private final long startedEpochMillis;
    private volatile long deadlineEpochMillis;
    private volatile EventCursor shown;
    private volatile String failure;
    private volatile String failedDeploymentId;
    private volatile String failedTaskDefinitionArn;

    WaitStepState(String deploymentId, long startedEpochMillis, long deadlineEpochMillis) {
        this.deploymentId = deploymentId;
        this.startedEpochMillis = startedEpochMillis;
        this.deadlineEpochMillis = deadlineEpochMillis;
    }

    public Phase phase() {
        return phase;
    }

    public String deploymentId() {
        return deploymentId;
    }

    public long startedEpochMillis() {
        return startedEpochMillis;
    }

    public long deadlineEpochMillis() {
        return deadlineEpochMillis;
    }

    /** The service events printed so far, or null before the first. */
    public EventCursor shown() {
        return shown;
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

    void printed(EventCursor shown) {
        this.shown = shown;
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

    /** The state as plain JDK values (null members left out), for Jenkins to save with the step. */
    public HashMap<String, Object> toMap() {
        HashMap<String, Object> m = new HashMap<>();
        m.put("phase", phase.name());
        put(m, "deploymentId", deploymentId);
        m.put("startedEpochMillis", startedEpochMillis);
        m.put("deadlineEpochMillis", deadlineEpochMillis);
        EventCursor s = shown;
        if (s != null) {
            m.put("shownEpochMillis", s.at().toEpochMilli());
            m.put("shownEventIds", new ArrayList<>(s.ids()));
        }
        put(m, "failure", failure);
        put(m, "failedDeploymentId", failedDeploymentId);
        put(m, "failedTaskDefinitionArn", failedTaskDefinitionArn);
        return m;
    }

    /** The state {@link #toMap()} saved. */
    public static WaitStepState fromMap(Map<String, ?> m) {
        WaitStepState s = new WaitStepState((String) m.get("deploymentId"), ((Number) m.get("startedEpochMillis")).longValue(),
                ((Number) m.get("deadlineEpochMillis")).longValue());
        s.phase = Phase.valueOf((String) m.get("phase"));
        if (m.get("shownEpochMillis") instanceof Number at) {
            List<String> ids = new ArrayList<>();
            ((List<?>) m.get("shownEventIds")).forEach(id -> ids.add(String.valueOf(id)));
            s.shown = new EventCursor(Instant.ofEpochMilli(at.longValue()), ids);
        }
        s.failure = (String) m.get("failure");
        s.failedDeploymentId = (String) m.get("failedDeploymentId");
        s.failedTaskDefinitionArn = (String) m.get("failedTaskDefinitionArn");
        return s;
    }

    private static void put(Map<String, Object> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
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
