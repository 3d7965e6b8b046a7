/**
 * TFTP packets as immutable values, with a Netty decoder and encoder. Exported so that the MTFTP
 * bundle speaks the same wire format without copying it.
 */
@Export
@Version("1.0.0")
package org.diskless.tftp.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
