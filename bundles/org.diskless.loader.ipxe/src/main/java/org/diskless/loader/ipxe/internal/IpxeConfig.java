package org.diskless.loader.ipxe.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.loader.ipxe.cfg}; read through {@link IpxeSettings}. */
@ObjectClassDefinition(name = "Diskless iPXE loader",
        description = "Chainloads iPXE into PXE clients and gives each iPXE client its node's boot script.")
@interface IpxeConfig {

    @AttributeDefinition(description = "iPXE for BIOS PXE clients (option 93 = 0), a path under the boot root.")
    String biosFile() default IpxeSettings.DEFAULT_BIOS_FILE;

    @AttributeDefinition(description = "iPXE for x64 UEFI clients (option 93 = 7 or 9), a path under the boot root.")
    String efiFile() default IpxeSettings.DEFAULT_EFI_FILE;

    @AttributeDefinition(description = "Folder under the boot root of the generated scripts, <folder>/01-<mac>.ipxe;"
            + " '/' for the boot root itself.")
    String scriptDirectory() default IpxeSettings.DEFAULT_SCRIPT_DIRECTORY;

    @AttributeDefinition(description = "Network device for the kernel's ip=, e.g. eth0; empty lets the kernel pick.")
    String device() default "";

    @AttributeDefinition(description = "Kernel arguments appended for every node, e.g. 'console=ttyS0,115200'.")
    String append() default "";

    @AttributeDefinition(description = "Order among boot loaders for the same client: the DHCP server asks the"
            + " highest first. Below pxelinux (0) by default; set above it to boot nodes through iPXE.")
    int service_ranking() default IpxeSettings.DEFAULT_RANKING;
}
