package events.jitsi.core.ecs;

/**
 * What a deploy tells a caller that may be interrupted (the CLI on Ctrl-C), as it happens: so that a revision this run
 * registered and never deployed is not left behind, and no write starts once the caller has been interrupted.
 */
public interface DeployListener {
    DeployListener NONE = new DeployListener() { };

    /** A revision was registered for this deploy. */
    default void registered(String taskDefinitionArn) {
    }

    /** UpdateService is about to be sent; throwing stops it (nothing is written then). */
    default void beforeUpdate() {
    }

    /** UpdateService answered; the service's PRIMARY deployment is {@code deploymentId}. */
    default void updated(String deploymentId) {
    }

    /** UpdateService failed; nothing was changed by it. */
    default void updateFailed() {
    }
}
