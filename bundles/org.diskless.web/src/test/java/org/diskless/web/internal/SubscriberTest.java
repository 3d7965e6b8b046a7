package org.diskless.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** One browser on the stream: written only while its connection takes data, never more queued than the cap. */
class SubscriberTest {

    private final FakeHttp.Response response = new FakeHttp.Response();
    private final List<Subscriber> closed = new ArrayList<>();
    private final Subscriber subscriber;

    SubscriberTest() throws IOException {
        subscriber = new Subscriber(FakeHttp.asyncContext(response), closed::add);
        subscriber.start();
    }

    @Test
    void whatTheConnectionTakesIsWrittenAndFlushedAtOnce() {
        assertTrue(subscriber.offer("a\n\n"));
        assertTrue(subscriber.offer("b\n\n"));
        assertEquals("a\n\nb\n\n", response.body());
        assertEquals(2, response.out.flushes);
        assertEquals(0, subscriber.queued());
    }

    @Test
    void whileTheConnectionIsFullMessagesWaitInOrderThenGoWhenItDrains() throws IOException {
        response.out.ready = false;
        for (int i = 0; i < Subscriber.MAX_QUEUED; i++) {
            assertTrue(subscriber.offer(i + "\n"));
        }
        assertEquals("", response.body());
        assertEquals(Subscriber.MAX_QUEUED, subscriber.queued());
        response.out.drained();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < Subscriber.MAX_QUEUED; i++) {
            expected.append(i).append('\n');
        }
        assertEquals(expected.toString(), response.body());
        assertEquals(1, response.out.flushes, "one flush for the lot");
        assertFalse(subscriber.isClosed());
    }

    @Test
    void oneMessageMoreThanTheQueueHoldsDropsTheSubscriber() {
        response.out.ready = false;
        for (int i = 0; i < Subscriber.MAX_QUEUED; i++) {
            subscriber.offer("x");
        }
        assertFalse(subscriber.offer("one too many"));
        assertTrue(subscriber.isClosed());
        assertEquals(0, subscriber.queued(), "its memory is freed");
        assertEquals(1, response.completed);
        assertEquals(List.of(subscriber), closed);
        assertFalse(subscriber.offer("later"), "a closed subscriber takes nothing");
        assertEquals(1, response.completed);
    }

    @Test
    void aFailedWriteOrAnErrorFromTheContainerDropsTheSubscriber() {
        response.out.broken = true;
        assertFalse(subscriber.offer("x"));
        assertEquals(1, response.completed);

        FakeHttp.Response other = new FakeHttp.Response();
        List<Subscriber> gone = new ArrayList<>();
        Subscriber erred;
        try {
            erred = new Subscriber(FakeHttp.asyncContext(other), gone::add);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        erred.start();
        erred.onError(new IOException("connection reset"));
        assertTrue(erred.isClosed());
        assertEquals(List.of(erred), gone);
    }
}
