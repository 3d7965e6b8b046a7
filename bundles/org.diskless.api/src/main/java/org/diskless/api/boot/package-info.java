/**
 * A boot as the protocols see it: who is asking, the events of each step, boot loaders and the multicast TFTP advertisement.
 */
@Export
@Version("1.0.0")
package org.diskless.api.boot;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
