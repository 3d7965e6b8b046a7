package org.diskless.support.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootEventListener;
import org.diskless.api.boot.BootProtocol;
import org.junit.jupiter.api.Test;

class BootEventPublisherTest {

    private static final BootEvent EVENT = BootEvent.builder(Instant.EPOCH, BootProtocol.TFTP,
            BootEvent.Kind.FILE_SENT, InetAddress.getLoopbackAddress()).detail("pxelinux.0").build();

    @Test
    void aFailingListenerDoesNotKeepTheEventFromTheOthers() {
        List<BootEvent> heard = new ArrayList<>();
        BootEventPublisher publisher = new BootEventPublisher();
        publisher.add(event -> {
            throw new IllegalStateException("broken listener");
        });
        publisher.add(heard::add);

        for (int i = 0; i < 1000; i++) {
            publisher.accept(EVENT);
        }

        assertEquals(1000, heard.size());
    }

    @Test
    void itSaysWhetherAnyoneListens() {
        BootEventListener listener = event -> { };
        BootEventPublisher publisher = new BootEventPublisher();
        assertFalse(publisher.hasListeners());

        publisher.add(listener);
        assertTrue(publisher.hasListeners());
        publisher.remove(listener);
        assertFalse(publisher.hasListeners());
    }

    @Test
    void aRemovedListenerHearsNothingMore() {
        List<BootEvent> heard = new ArrayList<>();
        BootEventListener listener = heard::add;
        BootEventPublisher publisher = new BootEventPublisher();
        publisher.add(listener);
        publisher.accept(EVENT);
        publisher.remove(listener);
        publisher.accept(EVENT);

        assertEquals(1, heard.size());
    }
}
