package org.diskless.boot.internal;

import org.diskless.api.boot.BootEvent;
import org.diskless.support.log.Printable;

/**
 * What of an event the timelines keep, and what keeping it costs. An event's detail comes from the
 * network (a file name a client asked for, the text of its DHCP options): it is kept as
 * {@link Printable} makes it, escaped and short, so that neither a terminal showing it nor the heap
 * holding it depends on what a client sent.
 */
final class KeptEvent {

    /** The longest detail kept: room for any path a boot loader asks for, and far below a packet. */
    static final int MAX_DETAIL_CHARS = 256;
    /** What {@link Printable} adds to a text it cuts: {@code …(N more)}. */
    private static final int CUT_MARKER_CHARS = "…( more)".length() + String.valueOf(Integer.MAX_VALUE).length();

    /**
     * Heap held by one kept event besides its detail's characters: the event, its time, client
     * address (with its holder), hardware address (with its Optional and bytes), duration, the
     * detail's String and array headers, and its slot in a boot's list; each counted as a 64-bit
     * JVM with compressed references lays it out (about 250 bytes), rounded up.
     */
    static final long EVENT_BYTES = 256;
    /** A boot's record, its two lists and their arrays (a boot keeps at most eventsPerBoot events). */
    static final long BOOT_BYTES = 256;
    /** A client's key and MAC, its history and list of boots, and its entries in the book's two maps. */
    static final long CLIENT_BYTES = 320;
    /** An address DHCP acknowledged and the MAC it went to, with their entries in the book's two maps. */
    static final long ACKNOWLEDGED_BYTES = 256;
    /** The most one kept event can cost. */
    static final long MAX_EVENT_BYTES = EVENT_BYTES + 2L * (MAX_DETAIL_CHARS + CUT_MARKER_CHARS);

    private KeptEvent() {
    }

    /** The event as kept: its detail escaped and cut to {@link #MAX_DETAIL_CHARS} (and a marker). */
    static BootEvent of(BootEvent event) {
        String detail = Printable.of(event.detail(), MAX_DETAIL_CHARS);
        if (detail.equals(event.detail())) {
            return event;
        }
        return BootEvent.builder(event.time(), event.protocol(), event.kind(), event.client())
                .hardwareAddress(event.hardwareAddress().orElse(null)).detail(detail).bytes(event.bytes())
                .duration(event.duration()).build();
    }

    /**
     * Heap an event as {@link #of} returns it holds, counting every character as two bytes (a
     * String holding any character above U+00FF stores two bytes for each).
     */
    static long retainedBytes(BootEvent kept) {
        return EVENT_BYTES + 2L * kept.detail().length();
    }
}
