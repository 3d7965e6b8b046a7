package org.diskless.fuzz;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The one property every fuzz target here checks: a reader of hostile bytes either returns a value
 * or refuses the input with the exception it documents. Anything else it throws (a
 * NullPointerException, an IndexOutOfBoundsException, an IllegalArgumentException from a
 * constructor deeper down, an Error) propagates, and Jazzer reports it with the input.
 */
public final class Refusals {

    private Refusals() {
    }

    /**
     * Runs {@code reader}: its value, or empty when it threw an instance of one of
     * {@code documented}. Any other throwable is rethrown as it is.
     */
    @SafeVarargs
    public static <T> Optional<T> readOrRefuse(Callable<T> reader, Class<? extends Exception>... documented)
            throws Exception {
        try {
            return Optional.of(reader.call());
        } catch (Exception e) {
            for (Class<? extends Exception> refusal : documented) {
                if (refusal.isInstance(e)) {
                    return Optional.empty();
                }
            }
            throw e;
        }
    }
}
