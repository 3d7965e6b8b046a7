/**
 * The networks this server boots nodes on and how full their address pools are, as read-only views
 * for loaders, status pages and metrics exporters.
 */
@Export
@Version("1.1.0")
package org.diskless.api.network;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
