/**
 * TFTP packets as immutable values, with a Netty decoder and encoder. A bundle of its own, so that
 * the TFTP and MTFTP servers speak the same wire format without copying it, and removing one of
 * them never takes the codec away from the other.
 */
@Export
@Version("1.1.0")
package org.diskless.tftp.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
