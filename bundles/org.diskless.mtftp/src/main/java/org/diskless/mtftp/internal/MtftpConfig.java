package org.diskless.mtftp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.mtftp.cfg}; read through {@link MtftpSettings}. */
@ObjectClassDefinition(name = "Diskless MTFTP server",
        description = "Multicast TFTP: PXE MTFTP for the files configured one by one (org.diskless.mtftp.file),"
                + " and the RFC 2090 multicast option of TFTP read requests.")
@interface MtftpConfig {

    @AttributeDefinition(description = "Local IPv4 address the server ports are bound to and blocks are sent from;"
            + " 0.0.0.0: every address, the route choosing each datagram's source.")
    String address() default MtftpSettings.DEFAULT_ADDRESS;

    /** Read as {@code interface} (a single {@code $} is dropped from the name), a word Java keeps for itself. */
    @AttributeDefinition(description = "Network interface multicast leaves by (IP_MULTICAST_IF); empty: the route"
            + " to each group decides.")
    String interface$() default "";

    @AttributeDefinition(description = "Multicast TTL (1: the local network only).", min = "1", max = "255")
    int ttl() default MtftpSettings.DEFAULT_TTL;

    @AttributeDefinition(description = "Seconds without an acknowledgement before a block (or OACK) is sent again.",
            min = "1", max = "255")
    int timeout() default MtftpSettings.DEFAULT_TIMEOUT_SECONDS;

    @AttributeDefinition(description = "How often an unacknowledged block is sent again before its master is taken"
            + " as gone.", min = "0", max = "100")
    int retries() default MtftpSettings.DEFAULT_RETRIES;

    @AttributeDefinition(description = "Most bytes a second one file's blocks leave at, headers included (0: as fast"
            + " as its master acknowledges): clients that only listen must keep that pace, and one that falls behind"
            + " costs a whole round more.", min = "0")
    long maxBytesPerSecond() default MtftpSettings.DEFAULT_MAX_BYTES_PER_SECOND;

    @AttributeDefinition(description = "Files multicast at once by PXE MTFTP; further file configurations wait.",
            min = "1", max = "4096")
    int maxFiles() default MtftpSettings.DEFAULT_MAX_FILES;

    @AttributeDefinition(description = "Clients remembered per round or session; more are counted, not remembered.",
            min = "1", max = "65535")
    int maxClientsPerFile() default MtftpSettings.DEFAULT_MAX_CLIENTS_PER_FILE;

    @AttributeDefinition(description = "Largest block size granted to RFC 2090 clients (8-65464).",
            min = "8", max = "65464")
    int maxBlockSize() default MtftpSettings.DEFAULT_MAX_BLOCK_SIZE;

    @AttributeDefinition(description = "Multicast groups for RFC 2090 sessions, one session per group at a time:"
            + " addresses and first-last ranges, comma-separated; empty turns RFC 2090 off.")
    String rfc2090Groups() default MtftpSettings.DEFAULT_RFC2090_GROUPS;

    @AttributeDefinition(description = "UDP port RFC 2090 clients receive blocks on.", min = "1", max = "65535")
    int rfc2090Port() default MtftpSettings.DEFAULT_RFC2090_PORT;

    @AttributeDefinition(description = "RFC 2090 sessions one client address takes part in at once; further"
            + " requests are served by unicast TFTP.", min = "1", max = "4096")
    int maxSessionsPerClient() default MtftpSettings.DEFAULT_MAX_SESSIONS_PER_CLIENT;
}
