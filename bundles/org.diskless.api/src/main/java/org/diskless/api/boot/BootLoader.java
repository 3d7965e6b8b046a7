package org.diskless.api.boot;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a boot loader (pxelinux, iPXE, GRUB, …) contributed by a bundle. The DHCP server
 * chooses the first file a booting client loads by the most specific statement an operator made:
 * <ol>
 * <li>the node's own boot file, before any loader: its role {@code ipxe} when the client is iPXE
 *     (user class {@code iPXE}), else its role {@code loader};</li>
 * <li>the loader named for the client by its {@link #name()}: the node's role {@code bootloader},
 *     else its subnet's or the server's {@code loader.<arch>}; when it declines, the rules go on;</li>
 * <li>the server's {@code bootFile.<arch>} for the firmware's architecture (not for an iPXE client);</li>
 * <li>the loaders that serve the client's architecture ({@link #ARCHITECTURES}), highest
 *     {@code service.ranking} first, then the oldest service: the first that names a file;</li>
 * <li>for an iPXE client, the server's {@code bootFile.ipxe}, else its {@code bootFile.<arch>}.</li>
 * </ol>
 * {@code dhcp:explain <mac>} shows each step for a client.
 * Rules a loader can count on:
 * <ul>
 * <li>A client that announces no architecture (no option 93, none in option 60, none in the
 *     inventory) is a BIOS PXE ROM older than RFC 4578: loaders are asked about it as
 *     {@link org.diskless.api.ClientArchitecture#BIOS}. From DHCP, {@link BootContext#architecture()} is never empty.</li>
 * <li>A client whose user class is {@code iPXE} is never handed an iPXE binary ({@code undionly.kpxe},
 *     {@code ipxe.efi}, {@code snponly.efi}, …): that answer is passed over as a decline, because
 *     it would chainload iPXE forever.</li>
 * <li>A loader that throws is logged and passed over; the next one is asked.</li>
 * </ul>
 */
@ConsumerType
public interface BootLoader {

    /**
     * Service property: the option 93 codes this loader is asked about (Integer, Integer[], or text
     * such as {@code "0, 7"}); 7 and 9 both mean x64 UEFI. Without it (or empty) the loader is
     * asked about every architecture, and {@link #bootFile} declines those it cannot boot. A value
     * that is no list of codes 0-65535 leaves the loader asked about none. The DHCP server logs
     * each loader's ranking and architectures as it binds.
     */
    String ARCHITECTURES = "diskless.loader.architectures";

    /** Short name shown to the operator, e.g. {@code pxelinux}. */
    String name();

    /**
     * The file to name in DHCP (a path under the boot root, or a URL for HTTP boot), or empty when
     * this loader does not serve that client — e.g. iPXE declining a client whose user class
     * already says {@code iPXE}, which breaks the chainload loop.
     */
    Optional<String> bootFile(BootContext context);
}
