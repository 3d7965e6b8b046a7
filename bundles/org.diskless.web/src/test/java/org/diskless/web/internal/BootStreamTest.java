package org.diskless.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diskless.api.HardwareAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The live stream: tiles go to every listener in the order the boots moved; a listener that stops
 * reading or goes away is dropped without holding the stream or the other listeners; the number of
 * listeners and what waits for each are bounded.
 */
class BootStreamTest {

    private static final long WAIT_MILLIS = 5_000;
    private static final Pattern TILE = Pattern.compile("event: tile\ndata: \\{\"mac\":\"([0-9a-f:]+)\"}\n\n");

    private final BootStream stream = new BootStream(mac -> "{\"mac\":\"" + mac + "\"}");

    @AfterEach
    void close() {
        stream.close();
    }

    private static HardwareAddress mac(int i) {
        return HardwareAddress.parse(String.format("52:54:00:00:%02x:%02x", i >> 8, i & 255));
    }

    private static FakeHttp.Response listener(BootStream to) throws IOException {
        FakeHttp.Response response = new FakeHttp.Response();
        assertTrue(to.listen(FakeHttp.asyncContext(response)));
        return response;
    }

    private static List<String> tiles(FakeHttp.Response response) {
        List<String> macs = new ArrayList<>();
        Matcher tile = TILE.matcher(response.body());
        while (tile.find()) {
            macs.add(tile.group(1));
        }
        return macs;
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, what);
            Thread.sleep(20);
        }
    }

    @Test
    void tilesReachEveryListenerInTheOrderTheBootsMoved() throws Exception {
        FakeHttp.Response first = listener(stream);
        FakeHttp.Response second = listener(stream);
        assertTrue(first.body().startsWith(": connected\n\n"));
        List<String> expected = new ArrayList<>();
        for (int i : new int[] {1, 2, 1, 3}) {
            stream.changed(mac(i));
            expected.add(mac(i).toString());
            await(() -> tiles(second).size() == expected.size(), "tile of " + mac(i));
        }
        assertEquals(expected, tiles(first));
        assertEquals(expected, tiles(second));
    }

    @Test
    void aClientThatIsNotANodeSendsNothing() throws Exception {
        BootStream nodesOnly = new BootStream(mac -> mac.equals(mac(1)) ? "{\"mac\":\"" + mac + "\"}" : null);
        try {
            FakeHttp.Response response = listener(nodesOnly);
            nodesOnly.changed(mac(2));
            nodesOnly.changed(mac(1));
            await(() -> tiles(response).size() == 1, "the node's tile");
            assertEquals(List.of(mac(1).toString()), tiles(response));
        } finally {
            nodesOnly.close();
        }
    }

    @Test
    void aListenerThatStopsReadingIsDroppedAndTheOthersGoOn() throws Exception {
        FakeHttp.Response stuck = new FakeHttp.Response();
        stuck.out.ready = false; // its connection never takes a byte
        assertTrue(stream.listen(FakeHttp.asyncContext(stuck)));
        FakeHttp.Response reading = listener(stream);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < Subscriber.MAX_QUEUED + 5; i++) {
            stream.changed(mac(i));
            expected.add(mac(i).toString());
            await(() -> tiles(reading).size() == expected.size(), "the reading listener's tile " + expected.size());
        }
        assertEquals(expected, tiles(reading), "the stuck listener held no one back");
        assertEquals(1, stuck.completed, "the stuck listener's request was completed");
        assertEquals("", stuck.body());
        assertEquals(1, stream.listenerCount());
    }

    @Test
    void aListenerThatWentAwayIsDroppedAtTheNextWrite() throws Exception {
        FakeHttp.Response gone = listener(stream);
        FakeHttp.Response staying = listener(stream);
        gone.out.broken = true;
        stream.changed(mac(7));
        await(() -> tiles(staying).size() == 1, "the staying listener's tile");
        await(() -> stream.listenerCount() == 1, "the gone listener dropped");
        assertEquals(1, gone.completed);
    }

    @Test
    void theNumberOfListenersIsCapped() throws Exception {
        for (int i = 0; i < BootStream.MAX_LISTENERS; i++) {
            listener(stream);
        }
        FakeHttp.Response refused = new FakeHttp.Response();
        assertFalse(stream.listen(FakeHttp.asyncContext(refused)));
        assertEquals("", refused.body());
        assertEquals(BootStream.MAX_LISTENERS, stream.listenerCount());
        stream.close();
        assertEquals(0, stream.listenerCount());
    }

    @Test
    void theClientsMarkedBetweenTwoSendsAreBounded() throws Exception {
        BootStream slow = new BootStream(mac -> "{\"mac\":\"" + mac + "\"}");
        try {
            for (int i = 0; i < BootStream.MAX_PENDING * 3; i++) {
                slow.changed(HardwareAddress.parse(String.format("52:54:%02x:%02x:%02x:00", i >> 16 & 255,
                        i >> 8 & 255, i & 255)));
            }
            assertTrue(slow.pendingCount() <= BootStream.MAX_PENDING, () -> "pending: " + slow.pendingCount());
        } finally {
            slow.close();
        }
    }
}
