package events.jitsi.core.ecs;

/** What a wait tells a caller that must survive a restart and resume the same wait, as soon as it happens. */
public interface WaitListener {
    WaitListener NONE = new WaitListener() { };

    /** The deployment the wait follows, once known (the PRIMARY one when none was given). */
    default void following(String deploymentId) {
    }

    /** Service events were printed; {@code shown} covers them all. */
    default void printed(EventCursor shown) {
    }
}
