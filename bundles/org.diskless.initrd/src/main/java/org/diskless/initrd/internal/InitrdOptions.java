package org.diskless.initrd.internal;

/**
 * How an image is built.
 *
 * @param keepTimes   keep each file's modification time (else every entry has time 0, so that two builds of
 *                    the same content are the same bytes)
 * @param keepOwners  keep each file's owner and group (else root, which is what a RAM disk runs as)
 * @param maxEntries  refuse a tree with more entries than this (a mistyped source such as /)
 * @param maxDepth    refuse a tree nested deeper than this
 */
public record InitrdOptions(boolean keepTimes, boolean keepOwners, long maxEntries, int maxDepth) {

    public static final long DEFAULT_MAX_ENTRIES = 1_000_000;
    public static final int DEFAULT_MAX_DEPTH = 128;

    public InitrdOptions {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("an image holds at least one entry; maxEntries " + maxEntries);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, not " + maxDepth);
        }
    }

    /** Reproducible, root-owned, within the default bounds. */
    public static InitrdOptions reproducible() {
        return new InitrdOptions(false, false, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_DEPTH);
    }
}
