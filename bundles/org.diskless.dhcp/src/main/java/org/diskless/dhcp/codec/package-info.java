/**
 * DHCPv4 packets (RFC 2131/2132, RFC 3396 long options, option overload, the PXE options of
 * RFC 4578 and the PXE 2.1 vendor options) as immutable values, with a Netty decoder and encoder.
 * Private to the DHCP bundle: no other bundle speaks DHCP, so the wire format carries no API
 * promise.
 */
package org.diskless.dhcp.codec;
