package org.diskless.mtftp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.support.context.ClientContexts;
import org.diskless.tftp.codec.TftpErrorCode;

/**
 * Names and files as every protocol sees them: through the resolver (the jail, context-dependent
 * files, per-node generated files) and the node inventory. Called on file-work threads only.
 */
final class FileAccess {

    /** No client in particular: what a name means for everyone, which is what a group may carry. */
    static final BootContext EVERYONE = BootContext.of(BootProtocol.MTFTP,
            new InetSocketAddress(MtftpSettings.ANY, 0));

    private final BootFileResolver resolver;
    private final ClientContexts clients;

    FileAccess(BootFileResolver resolver, ClientContexts clients) {
        this.resolver = resolver;
        this.clients = clients;
    }

    /** Who {@code client} is: its node, by its fixed address or its lease. */
    BootContext contextOf(InetSocketAddress client) {
        return clients.contextOf(BootProtocol.MTFTP, client);
    }

    BootFile resolve(String name, BootContext context) throws Refusal {
        try {
            return resolver.resolve(name, context);
        } catch (BootFileException e) {
            throw Refusal.of(e);
        }
    }

    /** The file {@code name} means for everyone, opened to be sent in blocks of {@code blockSize}. */
    GroupContent openForGroup(BootFile file, int blockSize) throws Refusal {
        try {
            return new GroupContent(file.path(), file.size(), file.open(), blockSize);
        } catch (IOException e) {
            throw new Refusal(TftpErrorCode.NOT_DEFINED, "cannot read " + file.path(), "cannot open it: "
                    + e.getMessage());
        }
    }

    /**
     * Why a client gets an ERROR instead of the file.
     *
     * @param code   the TFTP error code
     * @param reply  what the client is told
     * @param detail what the log and the boot timeline say
     */
    static final class Refusal extends Exception {

        private static final long serialVersionUID = 1L;

        private final transient TftpErrorCode code;
        private final String detail;

        Refusal(TftpErrorCode code, String reply, String detail) {
            super(reply, null, false, false);
            this.code = code;
            this.detail = detail;
        }

        static Refusal of(BootFileException e) {
            return switch (e.reason()) {
                case NOT_FOUND -> new Refusal(TftpErrorCode.FILE_NOT_FOUND, "File not found: " + e.getMessage(),
                        "not found: " + e.getMessage());
                case INVALID_NAME, OUTSIDE_ROOT, DENIED, ALREADY_EXISTS -> new Refusal(TftpErrorCode.ACCESS_VIOLATION,
                        "Access violation: " + e.getMessage(), "refused: " + e.getMessage());
                case IO_ERROR -> new Refusal(TftpErrorCode.NOT_DEFINED, "server cannot read the file",
                        "file system error: " + e.getMessage());
            };
        }

        TftpErrorCode code() {
            return code;
        }

        String detail() {
            return detail;
        }
    }
}
