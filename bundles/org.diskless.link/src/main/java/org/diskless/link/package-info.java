/**
 * The raw-link SPI: how a bundle reaches the wire below IP. RMP sends and receives IEEE 802.2 LLC
 * frames through it, Wake-on-LAN its magic packets; a protocol bundle that needs whole Ethernet
 * frames uses this package and nothing of the bundle behind it.
 *
 * <ul>
 * <li>Use: take the {@link org.diskless.link.EthernetLinks} service, {@link
 * org.diskless.link.EthernetLinks#open open} a port on an interface for one protocol (an EtherType,
 * or every 802.2 frame) with the multicast groups to join, then send and receive whole frames
 * (destination, source, type or length, payload; no FCS; the sender pads to 60 bytes). Receive on
 * one thread; send from any. Close the port when the bundle stops: it leaves the groups.</li>
 * <li>Errors an operator can act on come as {@link org.diskless.link.LinkException} with a
 * {@link org.diskless.link.LinkException.Reason}: no such interface, not permitted (root or
 * {@code CAP_NET_RAW}), unsupported platform. Report them and retry later; never fail the bundle.</li>
 * <li>Provide: the {@code org.diskless.link} bundle implements it on Linux ({@code AF_PACKET}
 * through JNA). Another platform's implementation (BSD {@code bpf}, say) is a bundle that
 * registers {@code EthernetLinks} itself; the interfaces are {@code @ProviderType}, so such a bundle
 * imports this package at its minor version, while a user imports it up to the next major one.</li>
 * </ul>
 *
 * <p>Frames from the link are the network's: whoever is on it can send any source address, so a
 * user drops what it must not answer (a group source, its own) and bounds what it keeps.
 */
@Export
@Version("1.0.0")
package org.diskless.link;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
