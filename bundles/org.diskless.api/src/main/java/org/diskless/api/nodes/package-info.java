/**
 * The node inventory: who the machines are, how they are recognised on the wire, and the role names of their boot files.
 */
@Export
@Version("1.1.0")
package org.diskless.api.nodes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
