package org.diskless.mtftp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One multicast file, {@code etc/org.diskless.mtftp.file-<name>.cfg}; read through {@link FileSettings}. */
@ObjectClassDefinition(name = "Diskless MTFTP file",
        description = "A file sent by PXE multicast TFTP, and the group and ports BIOS clients are told in DHCP.")
@interface FileConfig {

    @AttributeDefinition(description = "The file, relative to the boot root (e.g. pxelinux.0), as DHCP names it.")
    String file();

    @AttributeDefinition(description = "IPv4 multicast group the file is sent to (e.g. 239.255.42.1).")
    String group();

    @AttributeDefinition(description = "UDP port clients listen on.", min = "1", max = "65535")
    int clientPort() default FileSettings.DEFAULT_CLIENT_PORT;

    @AttributeDefinition(description = "UDP port clients send their open (a read request) to.", min = "1",
            max = "65535")
    int serverPort() default FileSettings.DEFAULT_SERVER_PORT;

    @AttributeDefinition(description = "Seconds a client listens to the group before it opens the file itself.",
            min = "0", max = "255")
    int openTimeout() default FileSettings.DEFAULT_OPEN_TIMEOUT;

    @AttributeDefinition(description = "Seconds a client waits before it opens a transfer that stalled again.",
            min = "0", max = "255")
    int reopenDelay() default FileSettings.DEFAULT_REOPEN_DELAY;
}
