package org.diskless.dhcp.command;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.network.PoolUsage;
import org.diskless.dhcp.internal.DhcpMonitor;

/** A DHCP server with nothing to show; a test overrides what its command reads. */
class StubMonitor implements DhcpMonitor {

    @Override
    public List<LeaseView> leases() {
        return List.of();
    }

    @Override
    public List<PoolUsage> pools() {
        return List.of();
    }

    @Override
    public List<LeaseView> clearDeclines(Optional<Inet4Address> address) {
        return List.of();
    }

    @Override
    public List<CounterView> counterViews() {
        return List.of();
    }

    @Override
    public Optional<InetSocketAddress> listeningOn() {
        return Optional.empty();
    }

    @Override
    public Optional<InetSocketAddress> bootServerListeningOn() {
        return Optional.empty();
    }

    @Override
    public String mode() {
        return "server";
    }

    @Override
    public List<String> explain(HardwareAddress mac, Optional<ClientArchitecture> architecture,
                                Optional<String> userClass) {
        return List.of();
    }

    @Override
    public List<PeerView> peers() {
        return List.of();
    }

    @Override
    public String transport() {
        return "epoll";
    }
}
