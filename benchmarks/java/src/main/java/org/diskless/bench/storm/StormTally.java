package org.diskless.bench.storm;

/**
 * What every node's client did, counted on the generator's one thread: the client side of the
 * figures (the server side, bytes on the wire and cpu, the script measures).
 */
final class StormTally {

    long dhcpSent;
    long dhcpRetransmissions;
    long dhcpNaks;
    long unicastFetches;
    long mtftpFetches;
    /** Unicast DATA for a block the node already held: the server sent it again. */
    long duplicateData;
    /** RRQs and ACKs a node's retransmission timer sent again. */
    long clientRetransmissions;
    /** Packets from an unexpected address or port, or of an unexpected kind. */
    long strayPackets;
    /** Datagrams the kernel had no room for, or refused, when a node sent them; and the first refusal. */
    long sendsLost;
    String firstSendError;
    long mtftpOpens;
    long mtftpMasters;
    /** DATA packets received on MTFTP groups, and those for a block the group had carried before. */
    long groupBlocks;
    long groupRepeats;
    long groupStray;
    /** Empty DATA blocks numbered past a file's last block (harmless, but no server should send them). */
    long blocksPastTheEnd;
}
