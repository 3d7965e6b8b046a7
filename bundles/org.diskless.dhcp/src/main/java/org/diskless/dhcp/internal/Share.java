package org.diskless.dhcp.internal;

/**
 * Which contiguous part of every pool this server offers from first: with {@code count} servers
 * sharing one lease store, the pool is cut into {@code count} runs of (nearly) equal size, and the
 * server that is {@code index}-th in the servers' sorted order (the order that deals out the RFC
 * 3074 buckets) prefers the {@code index}-th. A server alone has the whole pool.
 */
record Share(int index, int count) {

    static final Share WHOLE = new Share(0, 1);

    Share {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("share " + index + " of " + count);
        }
    }

    /** The first index of this share in a pool of {@code size} addresses. */
    int first(int size) {
        return (int) ((long) size * index / count);
    }

    /** One past the last index of this share in a pool of {@code size} addresses. */
    int end(int size) {
        return (int) ((long) size * (index + 1) / count);
    }
}
