/**
 * A boot as the protocols see it: who is asking, the events of each step, boot loaders, the multicast TFTP advertisement and the RFC 2090 hand-off, and where HTTP boot is served.
 */
@Export
@Version("1.2.0")
package org.diskless.api.boot;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
