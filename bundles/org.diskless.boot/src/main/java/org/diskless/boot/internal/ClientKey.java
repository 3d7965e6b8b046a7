package org.diskless.boot.internal;

import java.net.InetAddress;

import org.diskless.api.HardwareAddress;

/**
 * Whose timeline an event belongs to: a MAC whenever one is known (every DHCP and RMP event, a TFTP
 * event of a recognised node, or one whose address DHCP acknowledged), otherwise the bare address
 * of a client nobody could name.
 */
public sealed interface ClientKey permits ClientKey.Mac, ClientKey.Address {

    /** How the shell shows the client when no node name is known. */
    String display();

    record Mac(HardwareAddress mac) implements ClientKey {
        @Override
        public String display() {
            return mac.toString();
        }
    }

    record Address(InetAddress address) implements ClientKey {
        @Override
        public String display() {
            return address.getHostAddress();
        }
    }
}
