/**
 * How the node inventory is stored: one Config Admin factory configuration per node, under
 * {@link org.diskless.nodes.NodeConfiguration#FACTORY_PID}, with the keys named there.
 */
@Export
@Version("1.0.0")
package org.diskless.nodes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
