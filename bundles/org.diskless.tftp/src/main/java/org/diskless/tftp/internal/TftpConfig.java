package org.diskless.tftp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.tftp.cfg}; read through {@link TftpSettings}. */
@ObjectClassDefinition(name = "Diskless TFTP server",
        description = "TFTP server for boot loaders, kernels and RAM disks (RFC 1350, 2347-2349, 7440).")
@interface TftpConfig {

    @AttributeDefinition(description = "Local address to listen on; 0.0.0.0 listens on every interface.")
    String address() default TftpSettings.DEFAULT_ADDRESS;

    @AttributeDefinition(description = "UDP port for requests (69 is the standard TFTP port).", min = "1", max = "65535")
    int port() default TftpSettings.DEFAULT_PORT;

    @AttributeDefinition(description = "Largest block size granted to a client (8-65464); larger requests get this.",
            min = "8", max = "65464")
    int maxBlockSize() default TftpSettings.DEFAULT_MAX_BLOCK_SIZE;

    @AttributeDefinition(description = "Largest RFC 7440 window granted to a client (1-65535 blocks).",
            min = "1", max = "65535")
    int maxWindowSize() default TftpSettings.DEFAULT_MAX_WINDOW_SIZE;

    @AttributeDefinition(description = "Bytes a client's socket receive buffer is taken to hold (Linux default"
            + " 212992): the windowsize granted is lowered to what fits, counting about 2.3 KiB per 1500-byte IP"
            + " fragment, since a window larger than the buffer loses its tail on every round.", min = "1")
    int clientReceiveBuffer() default TftpSettings.DEFAULT_CLIENT_RECEIVE_BUFFER;

    @AttributeDefinition(description = "Seconds without an answer before a block is sent again (1-255),"
            + " unless the client negotiates its own; until the client has answered once, never more than this,"
            + " whatever it asked.", min = "1", max = "255")
    int timeout() default TftpSettings.DEFAULT_TIMEOUT_SECONDS;

    @AttributeDefinition(description = "How many times a block is sent again before the transfer is given up.",
            min = "0", max = "100")
    int retries() default TftpSettings.DEFAULT_RETRIES;

    @AttributeDefinition(description = "Transfers in progress at once; further requests get an ERROR saying"
            + " the server is busy.", min = "1")
    int maxTransfers() default TftpSettings.DEFAULT_MAX_TRANSFERS;

    @AttributeDefinition(description = "Transfers in progress at once for one client IP address; its further"
            + " requests get an ERROR saying the server is busy. The same request again from the same address and"
            + " port while it is served is a repeat, not one more transfer.", min = "1")
    int maxTransfersPerClient() default TftpSettings.DEFAULT_MAX_TRANSFERS_PER_CLIENT;

    @AttributeDefinition(description = "Accept uploads (WRQ), like tftp-hpa -c. Off by default.")
    boolean allowWrite() default false;

    @AttributeDefinition(description = "Let an upload replace an existing file (only with allowWrite).")
    boolean allowOverwrite() default false;

    @AttributeDefinition(description = "Largest upload in bytes; larger ones get 'disk full or allocation exceeded'.",
            min = "0")
    long maxUploadSize() default TftpSettings.DEFAULT_MAX_UPLOAD_SIZE;

    @AttributeDefinition(description = "Microseconds an idle TFTP thread keeps polling for the next packet before it"
            + " sleeps (0-10000): a shorter round trip per window for a little CPU while transfers run; 0 turns it off.",
            min = "0", max = "10000")
    int busyPollMicros() default TftpSettings.DEFAULT_BUSY_POLL_MICROS;
}
