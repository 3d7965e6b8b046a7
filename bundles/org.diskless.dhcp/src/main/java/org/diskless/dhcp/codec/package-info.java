/**
 * DHCPv4 packets (RFC 2131/2132, RFC 3396 long options, option overload, the PXE options of
 * RFC 4578 and the PXE 2.1 vendor options) as immutable values, with a Netty decoder and encoder.
 * Exported so the DHCP server and the ProxyDHCP share one wire format.
 */
@Export
@Version("1.0.0")
package org.diskless.dhcp.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
