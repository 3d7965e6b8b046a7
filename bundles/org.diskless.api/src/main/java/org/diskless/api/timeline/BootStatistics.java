package org.diskless.api.timeline;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How many boots began and how they ended, by the rules the boot timelines follow (what is a
 * failure, where a boot begins and ends): for metrics exporters and status pages. Registered by the
 * timeline recorder while it runs; its counts start from zero with it.
 */
@ProviderType
public interface BootStatistics {

    /** The counts now; boots that went quiet for the recorder's quiet gap are finished first. */
    BootCounts counts();
}
