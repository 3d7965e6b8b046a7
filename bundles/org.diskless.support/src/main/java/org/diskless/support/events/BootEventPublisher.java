package org.diskless.support.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootEventListener;
import org.diskless.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a protocol's boot events to every {@link BootEventListener} the component is bound to.
 * Called from event loops: a listener that throws is logged (throttled, per listener class) and
 * the others still hear the event; nothing propagates to the protocol.
 *
 * <p>A DS component binds listeners dynamically and forwards them here:
 * <pre>{@code
 * @Reference(cardinality = MULTIPLE, policy = DYNAMIC)
 * void addListener(BootEventListener l) { events.add(l); }
 * void removeListener(BootEventListener l) { events.remove(l); }
 * }</pre>
 */
public final class BootEventPublisher implements Consumer<BootEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(BootEventPublisher.class);

    private final List<BootEventListener> listeners = new CopyOnWriteArrayList<>();
    private final LogThrottle failures = new LogThrottle(Duration.ofMinutes(1));

    public void add(BootEventListener listener) {
        listeners.add(listener);
    }

    public void remove(BootEventListener listener) {
        listeners.remove(listener);
    }

    /** Whether anyone listens: a protocol need not build the events nobody would hear. */
    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    @Override
    public void accept(BootEvent event) {
        for (BootEventListener listener : listeners) {
            try {
                listener.bootEvent(event);
            } catch (RuntimeException e) {
                String name = listener.getClass().getName();
                failures.warn(LOG, name, "Boot event listener {} failed on a {} event", name, event.kind(), e);
            }
        }
    }
}
