package org.diskless.loader.grub.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.loader.grub.cfg}; read through {@link GrubSettings}. */
@ObjectClassDefinition(name = "Diskless GRUB loader",
        description = "Names a GRUB network image (or shim and a signed GRUB) to UEFI clients and writes each node's"
                + " grub.cfg.")
@interface GrubConfig {

    @AttributeDefinition(description = "GRUB for x64 UEFI clients (option 93 = 7 or 9), a path under the boot root,"
            + " e.g. Debian's grubnetx64.efi.signed installed as grub/grubnetx64.efi.")
    String efiFile() default GrubSettings.DEFAULT_EFI_FILE;

    @AttributeDefinition(required = false, description = "Secure Boot: the shim named to x64 UEFI clients instead"
            + " of efiFile (Debian's shimx64.efi.signed as grub/shimx64.efi). Shim loads grubx64.efi from its own"
            + " folder: install the signed GRUB network image there under that name.")
    String shimFile();

    @AttributeDefinition(required = false, description = "GRUB for ARM64 UEFI clients (11); unset: not served.")
    String arm64File();

    @AttributeDefinition(required = false, description = "GRUB for BIOS PXE ROMs (0), e.g. grub/i386-pc/core.0 made"
            + " by grub-mknetdir; unset: BIOS clients are left to pxelinux.")
    String biosFile();

    @AttributeDefinition(required = false, description = "GRUB for x64 UEFI HTTP boot clients (16), told as a URL"
            + " on the HTTP boot server: an image with GRUB's http module built in (grub-mkimage ... http), which"
            + " Debian's signed grubnetx64.efi lacks; unset: HTTP boot clients are not served.")
    String httpFile();

    @AttributeDefinition(description = "GRUB's prefix under the boot root (Debian's network image: grub), where the"
            + " per-node grub.cfg-01-<mac> is generated; '/' for the boot root itself.")
    String configDirectory() default GrubSettings.DEFAULT_CONFIG_DIRECTORY;

    @AttributeDefinition(description = "Network device for the kernel's ip=, e.g. eth0; empty lets the kernel pick.")
    String device() default "";

    @AttributeDefinition(description = "Kernel arguments appended for every node, e.g. 'console=ttyS0,115200'.")
    String append() default "";

    @AttributeDefinition(description = "Order among boot loaders for the same client: the DHCP server asks the"
            + " highest first (unless loader.<arch> names one). Above iPXE (-10), below pxelinux (0).")
    int service_ranking() default GrubSettings.DEFAULT_RANKING;
}
