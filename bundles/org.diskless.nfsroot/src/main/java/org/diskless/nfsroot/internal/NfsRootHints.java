package org.diskless.nfsroot.internal;

import java.util.List;
import java.util.Optional;

/** The NFS-root hints and checks, as the console commands show them. Texts end with a line break. */
public interface NfsRootHints {

    /**
     * Every node's hints, or those of the node, else the group, named so.
     *
     * @throws IllegalArgumentException with a line for the user when no node or group is named so
     */
    String hints(Optional<String> nodeOrGroup);

    /** An exports file for every NFS root served from this host, ready to paste. */
    String exports();

    /** Every problem that would break a node's boot, one a line; {@code No problems.} when there is none. */
    String check();

    /** Node names, then group names, for completion. */
    List<String> names();
}
