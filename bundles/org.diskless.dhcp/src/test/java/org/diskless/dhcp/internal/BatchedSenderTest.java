package org.diskless.dhcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

/** Replies written in one round of the event loop leave with one flush per channel, after that round. */
class BatchedSenderTest {

    /** Counts the flushes that reach the socket end of a pipeline. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    @Test
    void repliesWrittenInOneRoundLeaveTogetherOnceTheRoundIsOver() {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel channel = new EmbeddedChannel(counter);
        QueuedLoop loop = new QueuedLoop();
        BatchedSender sender = new BatchedSender(loop);

        sender.send(channel, "offer 1");
        sender.send(channel, "offer 2");
        sender.send(channel, "ack 3");

        assertNull(channel.readOutbound(), "nothing leaves before the loop has finished its round");
        assertEquals(0, counter.flushes);
        assertEquals(1, loop.runPending(), "one flush task for the round");
        assertEquals(List.of("offer 1", "offer 2", "ack 3"), drain(channel));
        assertEquals(1, counter.flushes);

        sender.send(channel, "offer 4");
        loop.runPending();
        assertEquals(List.of("offer 4"), drain(channel), "a later round gets its own flush");
        assertEquals(2, counter.flushes);
        channel.finishAndReleaseAll();
    }

    @Test
    void everyChannelWrittenToInARoundIsFlushed() {
        FlushCounter first = new FlushCounter();
        FlushCounter second = new FlushCounter();
        EmbeddedChannel arrival = new EmbeddedChannel(first);
        EmbeddedChannel broadcast = new EmbeddedChannel(second);
        QueuedLoop loop = new QueuedLoop();
        BatchedSender sender = new BatchedSender(loop);

        sender.send(arrival, "unicast");
        sender.send(broadcast, "broadcast");
        sender.send(arrival, "unicast again");
        assertEquals(1, loop.runPending());

        assertEquals(List.of("unicast", "unicast again"), drain(arrival));
        assertEquals(List.of("broadcast"), drain(broadcast));
        assertEquals(1, first.flushes);
        assertEquals(1, second.flushes);
        arrival.finishAndReleaseAll();
        broadcast.finishAndReleaseAll();
    }

    private static List<Object> drain(EmbeddedChannel channel) {
        List<Object> out = new ArrayList<>();
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
            out.add(message);
        }
        return out;
    }
}
