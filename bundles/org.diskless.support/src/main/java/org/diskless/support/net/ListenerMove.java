package org.diskless.support.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Moves a server's listening socket to the address a new configuration names, so that the server
 * never ends up listening nowhere when it could have kept listening where it was. The new address
 * is bound beside the old one first, and the old one let go only then. Where that fails and the two
 * share a port, the old socket may be what holds it (0.0.0.0 and one of its addresses overlap): it
 * is let go, the new address tried again, and the old one taken back if the new one still cannot
 * be bound. It logs nothing: the caller says once what came of the move.
 *
 * @param <S> the settings a listener is bound with
 * @param <L> the listener: a Netty channel, an HTTP server
 */
public final class ListenerMove<S, L> {

    /** Binds a listener as the settings say. */
    @FunctionalInterface
    public interface Binder<S, L> {
        /** @throws IOException naming the address and, where it can, what to fix */
        L bind(S settings) throws IOException;
    }

    private final Function<S, InetSocketAddress> address;
    private final Binder<S, L> binder;
    private final Consumer<L> close;

    /**
     * @param address where settings have the listener bound
     * @param close   closes a listener, waiting (bounded) until its port is free again
     */
    public ListenerMove(Function<S, InetSocketAddress> address, Binder<S, L> binder, Consumer<L> close) {
        this.address = Objects.requireNonNull(address, "address");
        this.binder = Objects.requireNonNull(binder, "binder");
        this.close = Objects.requireNonNull(close, "close");
    }

    /**
     * @param current  what listens now, or null when nothing does
     * @param previous the settings the server listened with, or null when it never did: with
     *                 nothing listening now, they are bound again when {@code next} cannot be
     * @param next     the settings to listen with from now on
     */
    public Outcome<S, L> move(L current, S previous, S next) {
        if (current != null) {
            Objects.requireNonNull(previous, "the settings the current listener was bound with");
        }
        IOException refused;
        try {
            return moved(current, next);
        } catch (IOException e) {
            refused = e;
        }
        if (current != null) {
            if (address.apply(previous).getPort() != address.apply(next).getPort()) {
                return new Outcome<>(Optional.of(current), Optional.of(previous), Optional.of(refused), Optional.empty());
            }
            close.accept(current);
            try {
                return moved(null, next);
            } catch (IOException e) {
                refused = e;
            }
        }
        if (previous == null) {
            return new Outcome<>(Optional.empty(), Optional.empty(), Optional.of(refused), Optional.empty());
        }
        try {
            return new Outcome<>(Optional.of(bind(previous)), Optional.of(previous), Optional.of(refused),
                    Optional.empty());
        } catch (IOException lost) {
            return new Outcome<>(Optional.empty(), Optional.empty(), Optional.of(refused), Optional.of(lost));
        }
    }

    /**
     * Why a move was refused and where the server listens now, for the one line the caller logs:
     * {@code "<why>; still listening on <address>"}, or that it listens nowhere and, when the old
     * address was lost, why.
     */
    public String refusal(Outcome<S, L> outcome) {
        String why = outcome.refused().map(IOException::getMessage).orElse("not refused");
        return why + outcome.settings().map(s -> "; still listening on " + address.apply(s))
                .orElseGet(() -> "; listening nowhere until this is fixed" + outcome.lost().map(lost ->
                        " (the previous address could not be bound again: " + lost.getMessage() + ")").orElse(""));
    }

    private Outcome<S, L> moved(L current, S next) throws IOException {
        L fresh = bind(next);
        if (current != null) {
            close.accept(current);
        }
        return new Outcome<>(Optional.of(fresh), Optional.of(next), Optional.empty(), Optional.empty());
    }

    private L bind(S settings) throws IOException {
        try {
            return Objects.requireNonNull(binder.bind(settings), "bound listener");
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * What came of a move.
     *
     * @param listener what listens now: on the new settings, or when they were refused on the old ones
     * @param settings the settings it listens with
     * @param refused  why the new settings could not be bound; empty when the listener moved
     * @param lost     why the old settings could not be bound again either, when nothing listens now
     */
    public record Outcome<S, L>(Optional<L> listener, Optional<S> settings, Optional<IOException> refused,
                                Optional<IOException> lost) {

        /** Whether the listener is on the new settings now. */
        public boolean moved() {
            return refused.isEmpty();
        }
    }
}
