/**
 * Values every protocol shares (who a node is, what it asks for) and the services through which
 * the protocol bundles find each other.
 */
@Export
@Version("1.1.0")
package org.diskless.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
