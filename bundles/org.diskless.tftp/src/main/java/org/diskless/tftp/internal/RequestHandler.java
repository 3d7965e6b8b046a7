package org.diskless.tftp.internal;

import static org.diskless.tftp.internal.NetworkText.shown;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;
import org.diskless.tftp.codec.TftpDecoder;
import org.diskless.tftp.codec.TftpEncoder;
import org.diskless.tftp.codec.TftpError;
import org.diskless.tftp.codec.TftpErrorCode;
import org.diskless.tftp.codec.TftpOpcode;
import org.diskless.tftp.codec.TftpPacket;
import org.diskless.tftp.codec.TftpPacketException;
import org.diskless.tftp.codec.TftpRequest;
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
 * Takes RRQ and WRQ on the well-known port and starts each transfer on a port of its own. The
 * file-system work a request costs is done off the event loop ({@link TransferPreparation}), so a
 * slow disk or provider never stalls the port or the transfers that share its loop. Any other
 * packet there gets the ERROR RFC 1350 prescribes, and a bad datagram never closes the port.
 */
final class RequestHandler extends SimpleChannelInboundHandler<AddressedEnvelope<TftpPacket, InetSocketAddress>> {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

    private static final TftpDecoder DECODER = new TftpDecoder();
    private static final TftpEncoder ENCODER = new TftpEncoder();

    private final TftpSettings settings;
    private final TransferPreparation preparation;
    private final Executor fileWork;
    private final Transfer.Services services;
    private final TransferPorts ports;

    /**
     * @param fileWork where requests are prepared ({@link TransferPreparation}): never an event
     *                 loop; it refuses work ({@link RejectedExecutionException}) when too much waits
     */
    RequestHandler(TftpSettings settings, TransferPreparation preparation, Executor fileWork,
                   Transfer.Services services, TransferPorts ports) {
        this.settings = settings;
        this.preparation = preparation;
        this.fileWork = fileWork;
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
            LOG.debug("Malformed packet from {}: {}", bad.sender(), shown(bad.getMessage()));
            if (!bad.wasErrorPacket() && bad.sender() != null) {
                reply(ctx.channel(), bad.sender(), TftpErrorCode.ILLEGAL_OPERATION, bad.getMessage());
            }
            return;
        }
        // Never close the well-known port over one packet.
        services.throttle().warn(LOG, "unexpected", "Unexpected error on the TFTP request port", cause);
    }

    private void handle(Channel requests, TftpRequest request, InetSocketAddress client) {
        TransferRegistry registry = services.registry();
        (request.opcode() == TftpOpcode.WRQ ? registry.writeRequests : registry.readRequests).increment();
        TransferSlots.Admission admission = registry.admit(client, request, settings.maxTransfers(),
                settings.maxTransfersPerClient());
        if (admission instanceof TransferSlots.Refused refused) {
            refuse(requests, request, client, refused.reason());
            return;
        }
        TransferSlots.Slot slot = (TransferSlots.Slot) admission;
        try {
            fileWork.execute(() -> prepare(requests, request, client, slot));
        } catch (RejectedExecutionException full) {
            slot.release();
            registry.refusedQueueFull();
            services.throttle().warn(LOG, "queue", "Refused {} of '{}' from {}: {} requests already wait for the"
                    + " file system; tftp:stats counts every such refusal", request.opcode(), shown(request.filename()),
                    client, TftpServer.FILE_WORK_QUEUE);
            refuse(requests, request, client, TftpErrorCode.NOT_DEFINED, "server busy: too many requests, try again later");
        }
    }

    /**
     * On a file-work thread: the request made into a transfer, handed back to the request port's
     * event loop to be started there, or the refusal handed back to be answered there.
     */
    private void prepare(Channel requests, TftpRequest request, InetSocketAddress client, TransferSlots.Slot slot) {
        Optional<Transfer> prepared;
        try {
            prepared = preparation.prepare(request, client);
        } catch (RequestRefusedException refused) {
            services.registry().notServed();
            onLoop(requests, () -> {
                slot.release();
                LOG.debug("Refused {} of '{}' from {}: {}", request.opcode(), shown(request.filename()), client,
                        shown(refused.getMessage()));
                refuse(requests, request, client, refused.code(), refused.getMessage());
            }, slot::release);
            return;
        } catch (RuntimeException e) {
            // A third-party provider's or resolver's bug must cost this request, not its slot or the port.
            services.throttle().warn(LOG, "preparing", "Preparing {} of '{}' for {} failed", request.opcode(),
                    shown(request.filename()), client, e);
            services.registry().notServed();
            onLoop(requests, () -> {
                slot.release();
                refuse(requests, request, client, TftpErrorCode.NOT_DEFINED, "server error");
            }, slot::release);
            return;
        }
        if (prepared.isEmpty()) {
            LOG.debug("{} of '{}' from {} is served by multicast (RFC 2090)", request.opcode(),
                    shown(request.filename()), client);
            services.registry().servedByMulticast();
            onLoop(requests, slot::release, slot::release);
            return;
        }
        Transfer transfer = prepared.get();
        onLoop(requests, () -> open(requests, request, transfer, client, slot), () -> {
            services.registry().notServed();
            transfer.release(false);
            slot.release();
        });
    }

    /** Runs {@code task} on the request port's event loop, or {@code ifStopped} when the server is going away. */
    private static void onLoop(Channel requests, Runnable task, Runnable ifStopped) {
        try {
            requests.eventLoop().execute(task);
        } catch (RejectedExecutionException stopped) {
            ifStopped.run();
        }
    }

    private void refuse(Channel requests, TftpRequest request, InetSocketAddress client, TransferSlots.Refusal why) {
        switch (why) {
            case REPEAT -> LOG.debug("{} of '{}' from {} repeats one being served", request.opcode(),
                    shown(request.filename()), client);
            case SERVER_FULL -> {
                services.throttle().warn(LOG, "maxTransfers", "Refused {} of '{}' from {}: {} transfers in progress"
                        + " (maxTransfers); tftp:stats counts every such refusal", request.opcode(),
                        shown(request.filename()), client, settings.maxTransfers());
                refuse(requests, request, client, TftpErrorCode.NOT_DEFINED,
                        "server busy: too many transfers, try again later");
            }
            case CLIENT_FULL -> {
                services.throttle().warn(LOG, "maxTransfersPerClient", "Refused {} of '{}' from {}: {} transfers"
                        + " of this address in progress (maxTransfersPerClient); tftp:stats counts every such refusal",
                        request.opcode(), shown(request.filename()), client, settings.maxTransfersPerClient());
                refuse(requests, request, client, TftpErrorCode.NOT_DEFINED,
                        "server busy: too many transfers from your address, try again later");
            }
        }
    }

    private void open(Channel requests, TftpRequest request, Transfer transfer, InetSocketAddress client,
                      TransferSlots.Slot slot) {
        ChannelFuture connected = ports.open(transfer, client, settings.bindAddress().getAddress());
        connected.addListener(future -> {
            if (future.isSuccess()) {
                transfer.start(connected.channel(), slot);
            } else {
                services.registry().notServed();
                slot.release();
                transfer.release(false);
                services.throttle().warn(LOG, "transfer port", "Cannot open a transfer port for {}: {}", client,
                        future.cause().getMessage());
                refuse(requests, request, client, TftpErrorCode.NOT_DEFINED, "server cannot open a transfer port");
            }
        });
    }

    /**
     * Answers a request with an ERROR instead of a transfer, and tells the client's boot timeline
     * which file was refused and why (a missing pxelinux.0 is the most common PXE failure).
     */
    private void refuse(Channel channel, TftpRequest request, InetSocketAddress client, TftpErrorCode code,
                        String message) {
        services.events().accept(BootEvent.builder(Instant.now(), BootProtocol.TFTP, BootEvent.Kind.FILE_REFUSED,
                client.getAddress()).detail(shown(request.filename()) + ": " + (request.opcode() == TftpOpcode.WRQ
                        ? "upload " : "") + "refused with error " + code.code() + ", " + shown(message)).build());
        reply(channel, client, code, message);
    }

    /** Answers {@code client} with an ERROR; a message that quotes the client's own request is capped and escaped. */
    private void reply(Channel channel, InetSocketAddress client, TftpErrorCode code, String message) {
        services.registry().errorSent(code);
        channel.writeAndFlush(new DefaultAddressedEnvelope<TftpPacket, InetSocketAddress>(
                new TftpError(code, shown(message)), client));
    }
}
