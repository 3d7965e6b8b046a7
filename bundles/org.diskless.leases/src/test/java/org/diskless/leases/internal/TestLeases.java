package org.diskless.leases.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.diskless.api.HardwareAddress;
import org.diskless.api.leases.Lease;

/** Leases to test with, in the benchmark range 198.18.0.0/15 (RFC 2544). */
final class TestLeases {

    static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");
    static final long WAIT_SECONDS = 30;

    private TestLeases() {
    }

    static Inet4Address address(int n) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) 198, (byte) (18 + ((n >> 16) & 1)),
                    (byte) (n >> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static HardwareAddress mac(int n) {
        return HardwareAddress.ethernet(new byte[] {0x52, 0x54, 0, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
    }

    /** Client {@code client} holding address {@code n}, bound for an hour from NOW. */
    static Lease lease(int n, int client) {
        return Lease.of("01:" + mac(client), mac(client), address(n), NOW, NOW.plus(Duration.ofHours(1)),
                Lease.State.BOUND);
    }

    static Lease lease(int n) {
        return lease(n, n);
    }

    static Lease await(CompletionStage<Lease> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
