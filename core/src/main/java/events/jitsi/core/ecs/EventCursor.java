package events.jitsi.core.ecs;

import software.amazon.awssdk.services.ecs.model.ServiceEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How far a wait has printed a service's events: the newest printed event's time and the ids printed at that time.
 * A wait resumed after a restart starts from it, so each event reaches the log once.
 */
public record EventCursor(Instant at, List<String> ids) {
    public EventCursor {
        ids = List.copyOf(ids);
    }

    /** True when {@code event} is at or before the cursor and so was printed already (or is older than what was printed). */
    boolean covers(ServiceEvent event) {
        if (event.createdAt() == null) {
            return true;
        }
        int order = event.createdAt().compareTo(at);
        return order < 0 || (order == 0 && ids.contains(event.id()));
    }

    /** The cursor once {@code event}, the newest printed so far, has been printed too. */
    static EventCursor after(EventCursor cursor, ServiceEvent event) {
        if (cursor == null || event.createdAt().isAfter(cursor.at)) {
            return new EventCursor(event.createdAt(), List.of(event.id()));
        }
        List<String> ids = new ArrayList<>(cursor.ids);
        ids.add(event.id());
        return new EventCursor(cursor.at, ids);
    }
}
