package org.diskless.wake.internal;

import java.time.Instant;
import java.util.Optional;

/** What the boot timelines say about a node, as the staggered wake asks it. */
interface BootStanding {

    /** False when no timelines are recorded (feature diskless-boot not installed): nothing is known. */
    boolean available();

    /** Why the node should be left alone now (a boot in progress, or done lately), or empty. */
    Optional<String> busy(WakeTarget target, Instant now);

    /** True once the node has been sent its kernel boot file at or after {@code since}. */
    boolean fetchedKernel(WakeTarget target, Instant since);
}
