package org.diskless.nfsroot.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.nfsroot.cfg}; read through {@link NfsRootSettings}. */
@ObjectClassDefinition(name = "Diskless NFS root",
        description = "Where the nodes' NFS roots are on this host, how they are exported, and whether Diskless"
                + " exports them itself through exportfs.")
@interface NfsRootConfig {

    @AttributeDefinition(description = "per-node: each node has its own read-write root (rootPattern);"
            + " shared: nodes share a read-only root (sharedRoot) and each has a read-write overlay (overlayPattern).")
    String mode() default "per-node";

    @AttributeDefinition(description = "A node's own root in per-node mode; {node} is its name, {group} its group.")
    String rootPattern() default NfsRootSettings.DEFAULT_ROOT_PATTERN;

    @AttributeDefinition(description = "The read-only root nodes share in shared mode; {group} gives each group its own.")
    String sharedRoot() default NfsRootSettings.DEFAULT_SHARED_ROOT;

    @AttributeDefinition(description = "A node's read-write overlay in shared mode; must hold {node}.")
    String overlayPattern() default NfsRootSettings.DEFAULT_OVERLAY_PATTERN;

    @AttributeDefinition(description = "The host's exports file, read (never written) to warn about lines that"
            + " would not let a node mount its root.")
    String exportsFile() default NfsRootSettings.DEFAULT_EXPORTS_FILE;

    @AttributeDefinition(description = "Extra export tables read after exportsFile (files ending in .exports);"
            + " empty for none.")
    String exportsDirectory() default NfsRootSettings.DEFAULT_EXPORTS_DIRECTORY;

    @AttributeDefinition(description = "Export each node's root through the host's NFS server (exportfs -o), and"
            + " unexport it (exportfs -u) when the node goes; nothing else is touched.")
    boolean exportfs() default false;

    @AttributeDefinition(description = "The exportfs program: a name looked up on the PATH, or a path.")
    String exportfsCommand() default NfsRootSettings.DEFAULT_EXPORTFS_COMMAND;

    @AttributeDefinition(description = "Seconds one exportfs run may take before it is killed.")
    int exportfsTimeout() default NfsRootSettings.DEFAULT_EXPORTFS_TIMEOUT_SECONDS;
}
