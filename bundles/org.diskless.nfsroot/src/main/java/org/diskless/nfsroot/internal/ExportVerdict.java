package org.diskless.nfsroot.internal;

import java.util.List;
import java.util.Optional;

/** What the exports say about one client mounting one path. */
sealed interface ExportVerdict {

    /** Exported to it by this entry (at the path, or at the nearest exported directory above it). */
    record Exported(ExportEntry entry) implements ExportVerdict {
    }

    /**
     * Not decided without lookups: these entries (host names, patterns, netgroups) may name the
     * client and would then count; otherwise {@code fallback}, when there is one, does.
     */
    record Undecided(List<ExportEntry> undecided, Optional<ExportEntry> fallback) implements ExportVerdict {
        public Undecided {
            undecided = List.copyOf(undecided);
        }
    }

    /** Exported to none of its addresses; {@code toOthers} lists who gets the path (or a directory above it). */
    record NotExported(List<ExportEntry> toOthers) implements ExportVerdict {
        public NotExported {
            toOthers = List.copyOf(toOthers);
        }
    }
}
