package org.diskless.nodes.internal;

import java.util.List;

/** Reads the hosts of an existing boot-server file. Never throws on bad content: it skips and says why. */
public interface NodeImporter {

    ImportResult read(List<String> lines);
}
