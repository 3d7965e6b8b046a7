/**
 * The boot timelines as a read-only view: what each client's recent boots did, step by step, for
 * tools that act on it (waking nodes that are not booting already, waiting until a batch fetched
 * its kernel) without depending on the bundle that records them.
 */
@Export
@Version("1.1.0")
package org.diskless.api.timeline;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
