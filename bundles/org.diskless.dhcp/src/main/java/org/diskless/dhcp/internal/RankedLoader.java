package org.diskless.dhcp.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.boot.BootLoader;
import org.osgi.framework.Constants;

/** A BootLoader service with what its registration says: rank and the architectures it serves. */
record RankedLoader(BootLoader loader, int ranking, long serviceId, Set<Integer> architectures) {

    static RankedLoader of(BootLoader loader, Map<String, ?> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        return new RankedLoader(loader, ranking instanceof Integer i ? i : 0,
                id instanceof Long l ? l : 0L, architectures(properties.get(BootLoader.ARCHITECTURES)));
    }

    private static Set<Integer> architectures(Object value) {
        if (value == null) {
            return Set.of();
        }
        if (value instanceof Integer code) {
            return Set.of(code);
        }
        if (value instanceof Integer[] codes) {
            return Set.copyOf(Arrays.asList(codes));
        }
        if (value instanceof int[] codes) {
            return Arrays.stream(codes).boxed().collect(Collectors.toUnmodifiableSet());
        }
        if (value instanceof Iterable<?> codes) {
            java.util.HashSet<Integer> out = new java.util.HashSet<>();
            codes.forEach(c -> out.add(Integer.valueOf(c.toString().trim())));
            return Set.copyOf(out);
        }
        return Arrays.stream(value.toString().split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether this loader serves {@code architecture}; x64 UEFI counts as one whether sent as 7 or 9. */
    boolean serves(ClientArchitecture architecture) {
        int code = architecture.canonical().code();
        return architectures.stream().anyMatch(c -> ClientArchitecture.of(c).canonical().code() == code);
    }
}
