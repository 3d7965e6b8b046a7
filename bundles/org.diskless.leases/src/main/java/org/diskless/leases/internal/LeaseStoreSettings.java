package org.diskless.leases.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * The lease store's configuration, checked: {@link #parse} refuses a value an operator cannot mean
 * with the key and the reason, and the store in force keeps serving.
 *
 * @param directory          where the journal and snapshots live (absolute)
 * @param retention          how long a lease is kept after it expired before compaction drops it
 * @param compactionMinBytes the journal is never compacted while smaller than this
 * @param compactionRatio    compact once the journal is this many times larger than the live leases
 * @param syncInterval       the least time between the starts of two journal syncs; commits that
 *                           arrive meanwhile share the next one ({@link Duration#ZERO}: sync at once)
 * @param journalPreallocation the size a new journal is created with, zero-filled and synced, so
 *                           that appending within it changes no file size (0: header only)
 */
record LeaseStoreSettings(Path directory, Duration retention, long compactionMinBytes, int compactionRatio,
                          Duration syncInterval, long journalPreallocation) {

    static final String DEFAULT_DIRECTORY = "leases";
    static final int DEFAULT_RETENTION_HOURS = 168;
    static final long DEFAULT_COMPACTION_MIN_BYTES = 16L << 20;
    static final int DEFAULT_COMPACTION_RATIO = 4;
    /**
     * A sync costs about the same whatever it carries, so syncing each lease as it comes makes the
     * journal writer the largest cpu user under load (figures in docs/benchmarks.md). Grouping the
     * commits of at most 2 ms into one sync costs a DHCPACK at most 2 ms more.
     */
    static final long DEFAULT_SYNC_INTERVAL_MICROS = 2000;
    static final Duration DEFAULT_SYNC_INTERVAL = Duration.of(DEFAULT_SYNC_INTERVAL_MICROS, ChronoUnit.MICROS);
    static final long MAX_SYNC_INTERVAL_MICROS = 1_000_000;
    /**
     * A sync of an append that grows the file must also write the inode (its size): an extra
     * journal commit of the file system and a second device flush, where bytes landing in a file
     * already written to that length need neither. Unless set, a journal is created as large as the
     * compaction threshold (at most {@link #MAX_JOURNAL_PREALLOCATION}), the size at which it is
     * usually compacted.
     */
    static final long DEFAULT_JOURNAL_PREALLOCATION = DEFAULT_COMPACTION_MIN_BYTES;
    static final long MAX_JOURNAL_PREALLOCATION = 1L << 30;

    static final long MIN_COMPACTION_BYTES = 4096;
    static final int MAX_RETENTION_HOURS = 87840; // ten years of 366 days; the metatype says the same

    LeaseStoreSettings {
        if (!directory.isAbsolute()) {
            throw new IllegalArgumentException("the lease directory must be absolute: " + directory);
        }
        if (syncInterval.isNegative()) {
            throw new IllegalArgumentException("a negative sync interval: " + syncInterval);
        }
        if (journalPreallocation < 0) {
            throw new IllegalArgumentException("a negative journal preallocation: " + journalPreallocation);
        }
    }

    /** Defaults for a store in {@code directory}, as tests and the benchmark use it. */
    static LeaseStoreSettings in(Path directory) {
        return new LeaseStoreSettings(directory.toAbsolutePath().normalize(),
                Duration.ofHours(DEFAULT_RETENTION_HOURS), DEFAULT_COMPACTION_MIN_BYTES, DEFAULT_COMPACTION_RATIO,
                DEFAULT_SYNC_INTERVAL, DEFAULT_JOURNAL_PREALLOCATION);
    }

    LeaseStoreSettings withCompaction(long minBytes, int ratio) {
        return new LeaseStoreSettings(directory, retention, minBytes, ratio, syncInterval, journalPreallocation);
    }

    LeaseStoreSettings withRetention(Duration newRetention) {
        return new LeaseStoreSettings(directory, newRetention, compactionMinBytes, compactionRatio, syncInterval,
                journalPreallocation);
    }

    LeaseStoreSettings withSyncInterval(Duration interval) {
        return new LeaseStoreSettings(directory, retention, compactionMinBytes, compactionRatio, interval,
                journalPreallocation);
    }

    LeaseStoreSettings withJournalPreallocation(long bytes) {
        return new LeaseStoreSettings(directory, retention, compactionMinBytes, compactionRatio, syncInterval, bytes);
    }

    /**
     * @param base the Karaf base a relative directory is taken from (the {@code karaf.base} system
     *             property, not {@code karaf.data}, which operators wipe to reset the container)
     */
    static LeaseStoreSettings parse(Config config, Path base) throws InvalidSettingException {
        if (config.has("directory") && config.text("directory").isEmpty()) {
            // Not the default: a blank slip would move the leases to another directory.
            throw new InvalidSettingException("directory", "", "must name a directory");
        }
        String text = config.text("directory", DEFAULT_DIRECTORY);
        Path directory;
        try {
            directory = Path.of(text);
        } catch (InvalidPathException e) {
            throw new InvalidSettingException("directory", text, "not a usable path (" + e.getReason() + ")");
        }
        if (!directory.isAbsolute()) {
            directory = base.resolve(directory);
        }
        long compactionMinBytes = config.number("compactionMinBytes", DEFAULT_COMPACTION_MIN_BYTES,
                MIN_COMPACTION_BYTES, 1L << 40);
        return new LeaseStoreSettings(directory.toAbsolutePath().normalize(),
                Duration.ofHours(config.number("retentionHours", DEFAULT_RETENTION_HOURS, 0, MAX_RETENTION_HOURS)),
                compactionMinBytes,
                config.integer("compactionRatio", DEFAULT_COMPACTION_RATIO, 2, 1000),
                Duration.of(config.number("syncIntervalMicros", DEFAULT_SYNC_INTERVAL_MICROS, 0,
                        MAX_SYNC_INTERVAL_MICROS), ChronoUnit.MICROS),
                config.number("journalPreallocationBytes",
                        Math.min(compactionMinBytes, MAX_JOURNAL_PREALLOCATION), 0, MAX_JOURNAL_PREALLOCATION));
    }
}
