package org.diskless.wake.internal;

import java.util.List;

/** Sends magic packets for one run of {@code wake:nodes}; closing it releases what it opened. */
interface Waker extends AutoCloseable {

    /**
     * What went out for one node.
     *
     * @param how      the packets that left, e.g. {@code UDP 192.0.2.255:9,7 + Ethernet eth1}; empty if none did
     * @param problems why some did not, each a line an operator can act on
     */
    record Sent(String how, List<String> problems) {
        public Sent {
            problems = List.copyOf(problems);
        }
    }

    Sent wake(WakeTarget target);

    @Override
    void close();
}
