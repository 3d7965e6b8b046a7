/**
 * Raw Ethernet frames on one interface: what RMP (IEEE 802.2 LLC frames) and Wake-on-LAN need
 * below IP. The service is {@link org.diskless.link.EthernetLinks}; a port it opens sends and
 * receives whole frames, header included.
 */
@Export
@Version("1.0.0")
package org.diskless.link;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
