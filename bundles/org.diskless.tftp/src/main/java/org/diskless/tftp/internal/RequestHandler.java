package org.diskless.tftp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.files.BootFileUpload;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.tftp.codec.TftpDecoder;
import org.diskless.tftp.codec.TftpEncoder;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpOpcode;
import org.diskless.tftp.codec.TftpPacket;
import org.diskless.tftp.codec.TftpPacketException;
import org.diskless.tftp.codec.TftpRequest;
import org.diskless.tftp.internal.TransferOptions.OptionRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.AddressedEnvelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * Takes RRQ and WRQ on the well-known port and starts each transfer on a port of its own. Any
 * other packet there gets the ERROR RFC 1350 prescribes, and a bad datagram never closes the port.
 */
final class RequestHandler extends SimpleChannelInboundHandler<AddressedEnvelope<TftpPacket, InetSocketAddress>> {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

    private static final TftpDecoder DECODER = new TftpDecoder();
    private static final TftpEncoder ENCODER = new TftpEncoder();

    private final TftpSettings settings;
    private final BootFileResolver resolver;
    private final Supplier<Optional<NodeDirectory>> nodes;
    private final Transfer.Services services;
    private final TransferPorts ports;

    RequestHandler(TftpSettings settings, BootFileResolver resolver, Supplier<Optional<NodeDirectory>> nodes,
                   Transfer.Services services, TransferPorts ports) {
        this.settings = settings;
        this.resolver = resolver;
        this.nodes = nodes;
        this.services = services;
        this.ports = ports;
    }

    /** Decoder, encoder and this handler, for the well-known port's channel. */
    ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(DECODER, ENCODER, RequestHandler.this);
            }
        };
    }

    @Override
    public boolean isSharable() {
        return true;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, AddressedEnvelope<TftpPacket, InetSocketAddress> msg) {
        InetSocketAddress client = msg.sender();
        TftpPacket packet = msg.content();
        if (packet instanceof TftpRequest request) {
            handle(ctx.channel(), request, client);
        } else if (packet instanceof TftpError || packet.opcode() == TftpOpcode.OACK) {
            LOG.debug("Ignored {} from {} on the request port", packet.opcode(), client);
        } else {
            reply(ctx.channel(), client, TftpErrorCode.UNKNOWN_TRANSFER_ID, "unknown transfer ID");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TftpPacketException bad) {
            services.registry().malformedPackets.increment();
            LOG.debug("Malformed packet from {}: {}", bad.sender(), bad.getMessage());
            if (!bad.wasErrorPacket() && bad.sender() != null) {
                reply(ctx.channel(), bad.sender(), TftpErrorCode.ILLEGAL_OPERATION, bad.getMessage());
            }
            return;
        }
        // Never close the well-known port over one packet.
        LOG.warn("Unexpected error on the TFTP request port", cause);
    }

    private void handle(Channel requests, TftpRequest request, InetSocketAddress client) {
        boolean write = request.opcode() == TftpOpcode.WRQ;
        (write ? services.registry().writeRequests : services.registry().readRequests).increment();
        TransferSlots.Admission admission = services.registry().admit(client, request, settings.maxTransfers(),
                settings.maxTransfersPerClient());
        if (admission instanceof TransferSlots.Refused refused) {
            refuse(requests, request, client, refused.reason());
            return;
        }
        TransferSlots.Slot slot = (TransferSlots.Slot) admission;
        Transfer transfer;
        try {
            transfer = write ? prepareWrite(request, client) : prepareRead(request, client);
        } catch (RequestRefusedException refused) {
            slot.release();
            LOG.debug("Refused {} of '{}' from {}: {}", request.opcode(), request.filename(), client,
                    refused.getMessage());
            reply(requests, client, refused.code(), refused.getMessage());
            return;
        }
        open(requests, transfer, client, slot);
    }

    private void refuse(Channel requests, TftpRequest request, InetSocketAddress client, TransferSlots.Refusal why) {
        switch (why) {
            case REPEAT -> LOG.debug("{} of '{}' from {} repeats one being served", request.opcode(),
                    request.filename(), client);
            case SERVER_FULL -> {
                LOG.debug("Refused {} of '{}' from {}: {} transfers in progress (maxTransfers)",
                        request.opcode(), request.filename(), client, settings.maxTransfers());
                reply(requests, client, TftpErrorCode.NOT_DEFINED, "server busy: too many transfers, try again later");
            }
            case CLIENT_FULL -> {
                LOG.debug("Refused {} of '{}' from {}: {} transfers of this address in progress"
                        + " (maxTransfersPerClient)", request.opcode(), request.filename(), client,
                        settings.maxTransfersPerClient());
                reply(requests, client, TftpErrorCode.NOT_DEFINED,
                        "server busy: too many transfers from your address, try again later");
            }
        }
    }

    private void open(Channel requests, Transfer transfer, InetSocketAddress client, TransferSlots.Slot slot) {
        ChannelFuture connected = ports.open(transfer, client, settings.bindAddress().getAddress());
        connected.addListener(future -> {
            if (future.isSuccess()) {
                transfer.start(connected.channel(), slot);
            } else {
                slot.release();
                transfer.release(false);
                LOG.warn("Cannot open a transfer port for {}: {}", client, future.cause().getMessage());
                reply(requests, client, TftpErrorCode.NOT_DEFINED, "server cannot open a transfer port");
            }
        });
    }

    private Transfer prepareRead(TftpRequest request, InetSocketAddress client) throws RequestRefusedException {
        boolean netascii = checkMode(request);
        BootContext context = contextOf(client);
        BootFile file = resolve(request.filename(), context);
        BootFileContent content;
        try {
            content = file.open();
        } catch (IOException e) {
            LOG.warn("Cannot open {} for {}: {}", file.path(), client, e.getMessage());
            throw new RequestRefusedException(TftpErrorCode.NOT_DEFINED, "cannot read " + file.path());
        }
        try {
            long size = netascii ? NetasciiBlocks.convertedSize(content) : file.size();
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
            LOG.warn("Cannot read {} for {}: {}", file.path(), client, e.getMessage());
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
        BootContext context = BootContext.of(BootProtocol.TFTP, client);
        return nodes.get()
                .flatMap(directory -> directory.byAddress(client.getAddress()))
                .map(context::withNode)
                .orElse(context);
    }

    private BootFile resolve(String name, BootContext context) throws RequestRefusedException {
        try {
            return resolver.resolve(name, context);
        } catch (BootFileException e) {
            throw refusal(e, context.client());
        }
    }

    private static RequestRefusedException refusal(BootFileException e, InetSocketAddress client) {
        return switch (e.reason()) {
            case NOT_FOUND -> new RequestRefusedException(TftpErrorCode.FILE_NOT_FOUND, "File not found: " + e.getMessage());
            case INVALID_NAME, OUTSIDE_ROOT, DENIED -> new RequestRefusedException(TftpErrorCode.ACCESS_VIOLATION,
                    "Access violation: " + e.getMessage());
            case ALREADY_EXISTS -> new RequestRefusedException(TftpErrorCode.FILE_EXISTS, e.getMessage());
            case IO_ERROR -> {
                LOG.warn("File system error for {}: {}", client, e.getMessage());
                yield new RequestRefusedException(TftpErrorCode.NOT_DEFINED, "server cannot read the file");
            }
        };
    }

    private void reply(Channel channel, InetSocketAddress client, TftpErrorCode code, String message) {
        services.registry().errorSent(code);
        channel.writeAndFlush(new DefaultAddressedEnvelope<TftpPacket, InetSocketAddress>(
                new TftpError(code, message), client));
    }

    private static void closeQuietly(BootFileContent content) {
        try {
            content.close();
        } catch (IOException e) {
            LOG.debug("Closing a boot file failed", e);
        }
    }
}
