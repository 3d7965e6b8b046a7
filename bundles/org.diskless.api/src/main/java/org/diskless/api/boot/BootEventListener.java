package org.diskless.api.boot;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: hears every protocol's {@link BootEvent}s. Called on network threads: must return
 * quickly and never throw.
 */
@ConsumerType
public interface BootEventListener {

    void bootEvent(BootEvent event);
}
