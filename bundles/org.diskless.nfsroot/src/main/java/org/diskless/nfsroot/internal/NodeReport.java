package org.diskless.nfsroot.internal;

import java.util.List;
import java.util.Optional;

import org.diskless.api.nodes.Node;

/**
 * What the hints and checks found for one node: how it boots, the directories and exports lines its
 * root needs, the command line each loader writes for it, and what would break its boot.
 */
record NodeReport(Node node, Boot boot, Optional<String> elsewhere, List<Directory> directories,
                  List<ExportLine> exports, List<Line> lines, List<String> problems, List<String> warnings) {

    /** How the node's kernel gets its root. */
    enum Boot {
        /** An NFS root served from this host. */
        NFS,
        /** An NFS root on another server ({@link #elsewhere}). */
        NFS_ELSEWHERE,
        /** A RAM disk made from its initrd. */
        RAM_DISK,
        /** A kernel with no root of ours (its own arguments give one, or none). */
        KERNEL_ONLY,
        /** No kernel through pxelinux or iPXE at all (an RMP node, say): none of our business. */
        NONE
    }

    /** A directory on this host the node's root needs. */
    record Directory(String role, String path, boolean writable) {
    }

    /** One client of one path in an exports line, e.g. {@code 192.0.2.21(rw,…)}. */
    record ExportLine(String path, String client, String options) {

        String clientText() {
            return client + "(" + options + ")";
        }
    }

    /** The command line one loader writes, or why it writes none. */
    record Line(String loader, Optional<String> text, Optional<String> note) {
    }

    NodeReport {
        directories = List.copyOf(directories);
        exports = List.copyOf(exports);
        lines = List.copyOf(lines);
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }
}
