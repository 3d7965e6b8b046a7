package org.diskless.api.stats;

import java.util.List;

import org.diskless.api.boot.BootProtocol;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a protocol's file transfers running now, read by status pages (the boot dashboard's
 * progress bars) without importing the protocol's internals. Registered by each file-serving
 * protocol bundle while it runs.
 */
@ConsumerType
public interface TransfersInFlight {

    /** The protocol whose transfers these are. */
    BootProtocol protocol();

    /** The transfers running now, oldest first; a snapshot, cheap enough to read every second. */
    List<TransferInFlight> transfers();
}
