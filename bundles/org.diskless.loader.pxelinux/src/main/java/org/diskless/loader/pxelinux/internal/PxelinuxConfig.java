package org.diskless.loader.pxelinux.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.loader.pxelinux.cfg}; read through {@link PxelinuxSettings}. */
@ObjectClassDefinition(name = "Diskless pxelinux loader",
        description = "Names pxelinux for BIOS PXE clients and writes each node's pxelinux.cfg entry.")
@interface PxelinuxConfig {

    @AttributeDefinition(description = "The loader named in DHCP, a path under the boot root. Its pxelinux.cfg/"
            + " directory sits beside it, and the kernel and initrd paths of a node are relative to its folder.")
    String bootFile() default PxelinuxSettings.DEFAULT_BOOT_FILE;

    @AttributeDefinition(description = "Network device for ip=, e.g. eth0; empty lets the kernel pick.")
    String device() default "";

    @AttributeDefinition(description = "Kernel arguments appended for every node, e.g. 'console=ttyS0,115200'.")
    String append() default "";

    @AttributeDefinition(description = "Order among boot loaders for the same client: the DHCP server asks the"
            + " highest first.")
    int service_ranking() default 0;
}
