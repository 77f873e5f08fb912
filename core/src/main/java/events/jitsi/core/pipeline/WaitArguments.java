package events.jitsi.core.pipeline;

import events.jitsi.core.InvalidInputException;
import events.jitsi.core.ecs.DeployResult;
import events.jitsi.core.ecs.WaitRequest;
import events.jitsi.core.ecs.WaitResult;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code waitForServiceStable}'s arguments, checked once, here. Times are minutes, as Jenkins' own {@code timeout}
 * counts them. The plugin keeps them across a controller restart as {@link #toMap()}: JDK values only, which the
 * Pipeline's program state can hold without a class of this jar.
 */
public record WaitArguments(AwsAccess aws, String cluster, String service, String deploymentId, Integer timeout, Integer rollbackTimeout,
                            boolean rollbackOnFailure, String rollbackTo, boolean deregisterFailedRevision) {
    static final String STEP = "waitForServiceStable";
    public static final Set<String> NAMES = StepArguments.withAws("cluster", "service", "deploymentId", "timeout", "rollbackTimeout",
            "rollbackOnFailure", "rollbackTo", "deregisterFailedRevision");

    public WaitArguments {
        aws = aws == null ? AwsAccess.DEFAULT : aws;
        cluster = StepArguments.required(STEP, "cluster", cluster);
        service = StepArguments.required(STEP, "service", service);
        deploymentId = StepArguments.blankToNull(deploymentId);
        rollbackTo = StepArguments.blankToNull(rollbackTo);
        positiveMinutes("timeout", timeout);
        positiveMinutes("rollbackTimeout", rollbackTimeout);
        if (rollbackOnFailure && rollbackTo == null) {
            throw new InvalidInputException(STEP + ": rollbackOnFailure needs rollbackTo, the task definition to put back "
                    + "(the previousTaskDefinitionArn that ecsDeployRevision returned).");
        }
    }

    private static void positiveMinutes(String name, Integer minutes) {
        if (minutes != null && minutes <= 0) {
            throw new InvalidInputException(STEP + ": '" + name + "' is in minutes and must be positive, got " + minutes + ".");
        }
    }

    /** From Pipeline-style named arguments (or what {@link #toMap()} kept). */
    public static WaitArguments of(Map<String, ?> named) {
        StepArguments a = new StepArguments(STEP, named, NAMES);
        return new WaitArguments(a.access(), a.text("cluster"), a.text("service"), a.text("deploymentId"), a.integer("timeout"),
                a.integer("rollbackTimeout"), a.flag("rollbackOnFailure"), a.text("rollbackTo"), a.flag("deregisterFailedRevision"));
    }

    /** The arguments given, by their Pipeline names, as plain JDK values (what the plugin's execution keeps). */
    public HashMap<String, Object> toMap() {
        return StepArguments.toMap(this);
    }

    public WaitRequest request() {
        return new WaitRequest(cluster, service, deploymentId, timeout == null ? null : Duration.ofMinutes(timeout));
    }

    /** How long the rollback may take; default: as long as the wait. */
    public Duration rollbackDuration() {
        return rollbackTimeout != null ? Duration.ofMinutes(rollbackTimeout) : request().timeout();
    }

    /**
     * What to do when the wait fails: null for nothing, else the deploy to roll back (the task definition to put back
     * and whether the failed revision goes).
     */
    public DeployResult rollbackOf(WaitResult failed) {
        if (!rollbackOnFailure) {
            return null;
        }
        return new DeployResult(failed.cluster(), failed.service(), rollbackTo, failed.taskDefinitionArn(), failed.deploymentId(), true,
                deregisterFailedRevision);
    }
}
