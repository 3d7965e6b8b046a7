package org.diskless.api.boot;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a boot loader (pxelinux, iPXE, GRUB, …) contributed by a bundle. The DHCP server asks
 * the loaders, highest {@code service.ranking} first, which file to name for a booting client.
 */
@ConsumerType
public interface BootLoader {

    /** Service property: the option 93 codes this loader serves (Integer or Integer[]). */
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
