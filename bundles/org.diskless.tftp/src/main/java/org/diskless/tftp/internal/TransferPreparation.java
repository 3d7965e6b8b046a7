package org.diskless.tftp.internal;

import static org.diskless.tftp.internal.NetworkText.shown;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.boot.MulticastTftpRequests;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.files.BootFileUpload;
import org.diskless.support.context.ClientContexts;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpOpcode;
import org.diskless.tftp.codec.TftpRequest;
import org.diskless.tftp.internal.TransferOptions.OptionRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an admitted request into its transfer: everything a request costs before its first packet
 * — the node it comes from, its name resolved (context-dependent files probed, a third party's
 * {@code BootFileProvider} asked), the file opened, a netascii size computed. Runs on the server's
 * file-work threads, never on an event loop, since a slow NFS-mounted root or provider would
 * stall every transfer on that loop.
 */
final class TransferPreparation {

    private static final Logger LOG = LoggerFactory.getLogger(TransferPreparation.class);

    /**
     * Largest netascii file whose converted size is computed for tsize: that reads the file whole.
     * Netascii carries text (a config, a script); a larger file is sent without tsize.
     */
    static final long NETASCII_TSIZE_LIMIT = 1 << 20;

    private final TftpSettings settings;
    private final BootFileResolver resolver;
    private final ClientContexts clients;
    private final Supplier<Optional<MulticastTftpRequests>> multicast;
    private final Transfer.Services services;

    /** @param multicast where read requests with the RFC 2090 multicast option go first, when it runs */
    TransferPreparation(TftpSettings settings, BootFileResolver resolver, ClientContexts clients,
                        Supplier<Optional<MulticastTftpRequests>> multicast, Transfer.Services services) {
        this.settings = settings;
        this.resolver = resolver;
        this.clients = clients;
        this.multicast = multicast;
        this.services = services;
    }

    /**
     * The transfer that answers {@code request}, ready to start; empty when the multicast service
     * took it over (RFC 2090) and answers the client itself; or why the client gets an ERROR instead.
     */
    Optional<Transfer> prepare(TftpRequest request, InetSocketAddress client) throws RequestRefusedException {
        if (request.opcode() == TftpOpcode.WRQ) {
            return Optional.of(prepareWrite(request, client));
        }
        boolean netascii = checkMode(request);
        BootContext context = contextOf(client);
        if (!netascii && request.options().containsKey(MulticastTftpRequests.OPTION) && handedOver(request, context)) {
            return Optional.empty();
        }
        return Optional.of(prepareRead(request, client, netascii, context));
    }

    /**
     * Whether the multicast service serves {@code request}; without one, or when it declines, the
     * request is served here by unicast and the option left out of the OACK (RFC 2347).
     */
    private boolean handedOver(TftpRequest request, BootContext context) {
        Optional<MulticastTftpRequests> service = multicast.get();
        if (service.isEmpty()) {
            return false;
        }
        try {
            return service.get().serve(request.filename(), request.options(), context);
        } catch (RuntimeException e) {
            // Multicast is only another way to the same file: a failing service costs no transfer.
            services.throttle().warn(LOG, "multicast", "The multicast TFTP service failed on '{}' for {}; serving it"
                    + " by unicast", shown(request.filename()), context.client(), e);
            return false;
        }
    }

    private Transfer prepareRead(TftpRequest request, InetSocketAddress client, boolean netascii, BootContext context)
            throws RequestRefusedException {
        BootFile file = resolve(request.filename(), context);
        BootFileContent content;
        try {
            content = file.open();
        } catch (IOException e) {
            services.throttle().warn(LOG, "open file", "Cannot open {} for {}: {}", shown(file.path()), client,
                    e.getMessage());
            throw new RequestRefusedException(TftpErrorCode.NOT_DEFINED, "cannot read " + file.path());
        }
        try {
            long size = netascii ? netasciiSize(request, file, content) : file.size();
            TransferOptions options = TransferOptions.negotiate(request.options(), settings, false, size);
            BlockSource blocks = netascii
                    ? new NetasciiBlocks(content, options.blockSize(), options.windowSize(), size)
                    : new OctetBlocks(content, options.blockSize());
            return new ReadTransfer(services, context, file.path(), options, settings.retries(), content, blocks);
        } catch (OptionRefusedException e) {
            closeQuietly(content);
            throw new RequestRefusedException(TftpErrorCode.OPTION_REFUSED, e.getMessage());
        } catch (IOException e) {
            closeQuietly(content);
            services.throttle().warn(LOG, "read for size", "Cannot read {} for {}: {}", shown(file.path()), client,
                    e.getMessage());
            throw new RequestRefusedException(TftpErrorCode.NOT_DEFINED, "cannot read " + file.path());
        }
    }

    private Transfer prepareWrite(TftpRequest request, InetSocketAddress client) throws RequestRefusedException {
        if (!settings.allowWrite()) {
            throw new RequestRefusedException(TftpErrorCode.ACCESS_VIOLATION, "uploads are disabled on this server");
        }
        checkMode(request);
        TransferOptions options;
        try {
            options = TransferOptions.negotiate(request.options(), settings, true, -1);
        } catch (OptionRefusedException e) {
            throw new RequestRefusedException(TftpErrorCode.OPTION_REFUSED, e.getMessage());
        }
        if (options.announcedSize() > settings.maxUploadSize()) {
            throw new RequestRefusedException(TftpErrorCode.DISK_FULL,
                    "upload of " + options.announcedSize() + " bytes exceeds the " + settings.maxUploadSize()
                            + " bytes allowed");
        }
        BootContext context = contextOf(client);
        BootFileUpload upload;
        try {
            upload = resolver.createUpload(request.filename(), context, settings.allowOverwrite());
        } catch (BootFileException e) {
            throw refusal(e, client);
        }
        return new WriteTransfer(services, context, upload.path(), options, settings.retries(), upload,
                settings.maxUploadSize());
    }

    /**
     * The size a netascii transfer of {@code file} sends, for tsize: the file read whole, so only
     * when the client asks for tsize and only for a text-sized file; -1 (no tsize in the OACK, as
     * RFC 2349 allows) otherwise.
     */
    private static long netasciiSize(TftpRequest request, BootFile file, BootFileContent content) throws IOException {
        if (!request.options().containsKey(TransferOptions.TSIZE) || file.size() > NETASCII_TSIZE_LIMIT) {
            return -1;
        }
        return NetasciiBlocks.convertedSize(content, NETASCII_TSIZE_LIMIT);
    }

    /** @return true for netascii, false for octet */
    private static boolean checkMode(TftpRequest request) throws RequestRefusedException {
        return switch (request.normalizedMode()) {
            case "octet" -> false;
            case "netascii" -> true;
            case "mail" -> throw new RequestRefusedException(TftpErrorCode.ILLEGAL_OPERATION,
                    "mail mode is not supported");
            default -> throw new RequestRefusedException(TftpErrorCode.ILLEGAL_OPERATION,
                    "unknown transfer mode '" + request.mode() + "'");
        };
    }

    private BootContext contextOf(InetSocketAddress client) {
        return clients.contextOf(BootProtocol.TFTP, client);
    }

    private BootFile resolve(String name, BootContext context) throws RequestRefusedException {
        try {
            return resolver.resolve(name, context);
        } catch (BootFileException e) {
            throw refusal(e, context.client());
        }
    }

    private RequestRefusedException refusal(BootFileException e, InetSocketAddress client) {
        return switch (e.reason()) {
            case NOT_FOUND -> new RequestRefusedException(TftpErrorCode.FILE_NOT_FOUND, "File not found: " + e.getMessage());
            case INVALID_NAME, OUTSIDE_ROOT, DENIED -> new RequestRefusedException(TftpErrorCode.ACCESS_VIOLATION,
                    "Access violation: " + e.getMessage());
            case ALREADY_EXISTS -> new RequestRefusedException(TftpErrorCode.FILE_EXISTS, e.getMessage());
            case IO_ERROR -> {
                services.throttle().warn(LOG, "resolve", "File system error for {}: {}", client,
                        shown(e.getMessage()));
                yield new RequestRefusedException(TftpErrorCode.NOT_DEFINED, "server cannot read the file");
            }
        };
    }

    private static void closeQuietly(BootFileContent content) {
        try {
            content.close();
        } catch (IOException e) {
            LOG.debug("Closing a boot file failed", e);
        }
    }
}
