package org.diskless.fuzz;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A crash a fuzz target found and reported, not fixed yet: the exception, thrown where. A target
 * lets it pass (its input stays in the regression directory as {@code open-…}) so that the build
 * stays green and fuzzing looks past it for other bugs; once the bundle is fixed, the target drops
 * the entry and the input guards the fix.
 */
public record OpenFinding(String what, Class<? extends Throwable> type, String thrownInClass, String thrownInMethod) {

    /** True when {@code failure} is this finding: its type, raised in that method itself. */
    public boolean is(Throwable failure) {
        StackTraceElement[] stack = failure.getStackTrace();
        return type.isInstance(failure) && stack.length > 0 && stack[0].getClassName().equals(thrownInClass)
                && stack[0].getMethodName().equals(thrownInMethod);
    }

    /** The value of {@code reader}, or empty when it failed with this finding; anything else is rethrown. */
    public <T> Optional<T> tolerate(Callable<T> reader) throws Exception {
        try {
            return Optional.of(reader.call());
        } catch (Exception | Error e) {
            if (is(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
