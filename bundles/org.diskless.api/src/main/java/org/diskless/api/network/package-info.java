/**
 * The networks this server boots nodes on, as a read-only view for loaders and status pages.
 */
@Export
@Version("1.0.0")
package org.diskless.api.network;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
