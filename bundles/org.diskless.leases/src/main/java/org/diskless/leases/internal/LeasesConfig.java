package org.diskless.leases.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.leases.cfg}; read through {@link LeaseStoreSettings}. */
@ObjectClassDefinition(name = "Diskless lease store",
        description = "The embedded DHCP lease store: a journal on local disk, synced before every DHCPACK.")
@interface LeasesConfig {

    @AttributeDefinition(description = "Directory of the lease journal and snapshots. A relative path is taken"
            + " from the Karaf base directory (not data/, which is wiped to reset Karaf). Changing it moves the"
            + " current leases into the new directory.")
    String directory() default LeaseStoreSettings.DEFAULT_DIRECTORY;

    @AttributeDefinition(description = "Hours a lease is kept after it expired (or was released with an expiry"
            + " of now) before compaction forgets it; a client coming back within that time can get its"
            + " old address again.", min = "0", max = "87840")
    int retentionHours() default LeaseStoreSettings.DEFAULT_RETENTION_HOURS;

    @AttributeDefinition(description = "The journal is never compacted while smaller than this many bytes.",
            min = "4096")
    long compactionMinBytes() default LeaseStoreSettings.DEFAULT_COMPACTION_MIN_BYTES;

    @AttributeDefinition(description = "Compact (write a snapshot of the live leases, start a fresh journal)"
            + " once the journal is this many times larger than the live leases.", min = "2", max = "1000")
    int compactionRatio() default LeaseStoreSettings.DEFAULT_COMPACTION_RATIO;

    @AttributeDefinition(description = "Microseconds that must pass between the starts of two journal syncs;"
            + " leases committed meanwhile share the next sync (group commit). Fewer syncs save disk writes and"
            + " cpu; a DHCPACK may wait up to this long more. 0 syncs as soon as a lease is committed.",
            min = "0", max = "1000000")
    long syncIntervalMicros() default LeaseStoreSettings.DEFAULT_SYNC_INTERVAL_MICROS;

    @AttributeDefinition(description = "Bytes a new journal is created with, written as zeros and synced ahead"
            + " of time, so a sync of the leases written into it does not also have to write the file's size."
            + " A journal that outgrows it simply grows. Unset: the same as compactionMinBytes (at most 1 GiB)."
            + " 0 creates journals with their header only.",
            min = "0", max = "1073741824")
    long journalPreallocationBytes() default LeaseStoreSettings.DEFAULT_JOURNAL_PREALLOCATION;
}
