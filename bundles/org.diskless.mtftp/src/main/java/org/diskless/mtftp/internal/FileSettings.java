package org.diskless.mtftp.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

import org.diskless.api.boot.MulticastTftp;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * One file sent by PXE MTFTP ({@code etc/org.diskless.mtftp.file-<name>.cfg}): the name clients
 * ask for, the group and ports they are told in DHCP option 43, and the two times a client waits.
 *
 * @param file the name inside the boot root, as {@link FileNames#normalize} writes it
 */
record FileSettings(String file, Inet4Address group, int clientPort, int serverPort, int openTimeoutSeconds,
                    int reopenDelaySeconds) {

    static final String FACTORY_PID = "org.diskless.mtftp.file";
    static final int DEFAULT_CLIENT_PORT = 1758;
    static final int DEFAULT_SERVER_PORT = 1759;
    static final int DEFAULT_OPEN_TIMEOUT = 2;
    static final int DEFAULT_REOPEN_DELAY = 4;
    static final String LOCAL_CONTROL = "224.0.0.0-224.0.0.255 carries the local network's control traffic"
            + " (IGMP, routing protocols) and is never to be used by an application; 239.255.x.y is for a site's own use";

    static FileSettings parse(Config config) throws InvalidSettingException {
        String written = config.requiredText("file", "name the file to multicast, relative to the boot root"
                + " (e.g. pxelinux.0)");
        String file = FileNames.normalize(written);
        if (file.isEmpty() || FileNames.climbs(file)) {
            throw new InvalidSettingException("file", written, "a file inside the boot root, e.g. pxelinux.0");
        }
        Inet4Address group = config.ipv4("group").orElseThrow(() -> new InvalidSettingException("group", "",
                "name the multicast group the file is sent to, e.g. 239.255.42.1"));
        if (!group.isMulticastAddress()) {
            throw new InvalidSettingException("group", group.getHostAddress(), "not a multicast group (224.0.0.0-"
                    + "239.255.255.255; 239.255.x.y is for a site's own use)");
        }
        if (isLocalControl(group)) {
            throw new InvalidSettingException("group", group.getHostAddress(), LOCAL_CONTROL);
        }
        return new FileSettings(file, group,
                config.integer("clientPort", DEFAULT_CLIENT_PORT, 1, 65535),
                config.integer("serverPort", DEFAULT_SERVER_PORT, 1, 65535),
                config.integer("openTimeout", DEFAULT_OPEN_TIMEOUT, 0, 255),
                config.integer("reopenDelay", DEFAULT_REOPEN_DELAY, 0, 255));
    }

    static boolean isLocalControl(Inet4Address group) {
        byte[] b = group.getAddress();
        return (b[0] & 0xFF) == 224 && b[1] == 0 && b[2] == 0;
    }

    /** Where the blocks go. */
    InetSocketAddress destination() {
        return new InetSocketAddress(group, clientPort);
    }

    /** What DHCP tells a BIOS client about this file (option 43, sub-options 1-5). */
    MulticastTftp.Channel channel() {
        return new MulticastTftp.Channel(group, clientPort, serverPort, openTimeoutSeconds, reopenDelaySeconds);
    }

    /** {@code group:clientPort}, as the operator reads it. */
    String destinationText() {
        return group.getHostAddress() + ":" + clientPort;
    }
}
