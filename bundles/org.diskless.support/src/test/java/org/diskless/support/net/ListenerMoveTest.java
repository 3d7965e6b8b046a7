package org.diskless.support.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Moves between addresses of a pretend host, whose ports one listener holds at a time, whatever its address. */
class ListenerMoveTest {

    private static final InetSocketAddress ANY_69 = new InetSocketAddress("0.0.0.0", 69);
    private static final InetSocketAddress ONE_69 = new InetSocketAddress("192.0.2.1", 69);
    private static final InetSocketAddress ANY_6969 = new InetSocketAddress("0.0.0.0", 6969);

    /** A bound socket of the pretend host. */
    private final class Listener {
        final InetSocketAddress address;
        boolean open = true;

        Listener(InetSocketAddress address) {
            this.address = address;
        }
    }

    private final Set<InetSocketAddress> unusable = new HashSet<>();
    private final List<Listener> bound = new ArrayList<>();
    private final List<InetSocketAddress> tried = new ArrayList<>();
    private final ListenerMove<InetSocketAddress, Listener> move = new ListenerMove<>(a -> a, this::bind, this::close);
    private Listener old;

    private Listener bind(InetSocketAddress address) throws IOException {
        tried.add(address);
        if (unusable.contains(address)) {
            throw new BindException(address + " is not an address of this host");
        }
        if (bound.stream().anyMatch(l -> l.open && l.address.getPort() == address.getPort())) {
            throw new BindException("port " + address.getPort() + " is in use");
        }
        Listener listener = new Listener(address);
        bound.add(listener);
        return listener;
    }

    private void close(Listener listener) {
        listener.open = false;
    }

    /** Moves from a listener bound on {@code from} to {@code to}, once {@code unusable} cannot be bound. */
    private ListenerMove.Outcome<InetSocketAddress, Listener> moveFrom(InetSocketAddress from, InetSocketAddress to,
                                                                       InetSocketAddress... unusable) throws IOException {
        old = bind(from);
        tried.clear();
        this.unusable.addAll(List.of(unusable));
        return move.move(old, from, to);
    }

    private void assertMoved(ListenerMove.Outcome<InetSocketAddress, Listener> outcome, InetSocketAddress to) {
        assertTrue(outcome.moved());
        assertEquals(to, outcome.listener().orElseThrow().address);
        assertEquals(Optional.of(to), outcome.settings());
        assertFalse(old.open);
    }

    /** The move was refused and a listener serves, open, on {@code at}. */
    private static void assertKept(ListenerMove.Outcome<InetSocketAddress, Listener> outcome, InetSocketAddress at) {
        assertFalse(outcome.moved());
        assertTrue(outcome.listener().orElseThrow().open);
        assertEquals(at, outcome.listener().orElseThrow().address);
        assertEquals(Optional.of(at), outcome.settings());
    }

    @Test
    void aNewPortIsBoundBesideTheOldOneWhichIsLetGoOnlyThen() throws IOException {
        assertMoved(moveFrom(ANY_69, ANY_6969), ANY_6969);
        assertEquals(List.of(ANY_6969), tried);
    }

    @Test
    void aNewPortThatCannotBeBoundLeavesTheOldListenerServingUntouched() throws IOException {
        ListenerMove.Outcome<InetSocketAddress, Listener> outcome = moveFrom(ANY_69, ANY_6969, ANY_6969);

        assertKept(outcome, ANY_69);
        assertSame(old, outcome.listener().orElseThrow());
        assertEquals(ANY_6969 + " is not an address of this host; still listening on " + ANY_69,
                move.refusal(outcome));
    }

    @Test
    void onTheSamePortTheOldListenerIsLetGoWhenItHoldsThePort() throws IOException {
        assertMoved(moveFrom(ANY_69, ONE_69), ONE_69);
        assertEquals(List.of(ONE_69, ONE_69), tried);
    }

    @Test
    void onTheSamePortTheOldAddressIsTakenBackWhenTheNewOneCannotBeBound() throws IOException {
        ListenerMove.Outcome<InetSocketAddress, Listener> outcome = moveFrom(ANY_69, ONE_69, ONE_69);

        assertKept(outcome, ANY_69);
        assertFalse(old.open);
        assertEquals(List.of(ONE_69, ONE_69, ANY_69), tried);
    }

    @Test
    void whenTheOldAddressCannotBeTakenBackNothingListensAndBothReasonsAreTold() throws IOException {
        // Another program takes the old address the moment it is free.
        ListenerMove.Outcome<InetSocketAddress, Listener> outcome = moveFrom(ANY_69, ONE_69, ONE_69, ANY_69);

        assertEquals(Optional.empty(), outcome.listener());
        assertEquals(Optional.empty(), outcome.settings());
        assertEquals(ONE_69 + " is not an address of this host; listening nowhere until this is fixed (the previous"
                + " address could not be bound again: " + ANY_69 + " is not an address of this host)",
                move.refusal(outcome));
    }

    @Test
    void withNothingListeningThePreviousSettingsAreTriedAgainWhenTheNewOnesFail() {
        unusable.add(ANY_6969);

        ListenerMove.Outcome<InetSocketAddress, Listener> outcome = move.move(null, ANY_69, ANY_6969);

        assertKept(outcome, ANY_69);
        assertEquals(List.of(ANY_6969, ANY_69), tried);
    }

    @Test
    void aFirstBindThatFailsLeavesNothingListening() {
        unusable.add(ANY_69);

        ListenerMove.Outcome<InetSocketAddress, Listener> outcome = move.move(null, null, ANY_69);

        assertEquals(Optional.empty(), outcome.listener());
        assertEquals(List.of(ANY_69), tried);
        assertTrue(outcome.refused().isPresent());
    }

    @Test
    void aBinderFailingWithARuntimeExceptionIsARefusalToo() {
        ListenerMove<InetSocketAddress, Listener> failing = new ListenerMove<>(a -> a, a -> {
            throw new IllegalStateException("the event loop is shutting down");
        }, this::close);

        ListenerMove.Outcome<InetSocketAddress, Listener> outcome = failing.move(null, null, ANY_69);

        assertEquals("the event loop is shutting down", outcome.refused().orElseThrow().getMessage());
    }
}
