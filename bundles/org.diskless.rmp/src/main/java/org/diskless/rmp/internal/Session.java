package org.diskless.rmp.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import org.diskless.api.HardwareAddress;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;

/**
 * One open boot file of one client, from boot request to boot complete (or time-out). Touched by
 * the receiving thread only, read by the shell; the counters are volatile for the latter.
 */
final class Session {

    final int id;
    final HardwareAddress mac;
    final Cnode cnode;
    /** The name as the client knows it (what the boot reply echoed). */
    final String requestedName;
    final BootFile file;
    final BootFileContent content;
    final Instant opened;
    final long openedNanos;
    private volatile long lastActivityNanos;
    private volatile boolean hasRead;
    private volatile long bytesSent;
    private volatile long highestOffset;
    private boolean reportedComplete;

    Session(int id, HardwareAddress mac, Cnode cnode, String requestedName, BootFile file, BootFileContent content,
            Instant opened, long nowNanos) {
        this.id = id;
        this.mac = mac;
        this.cnode = cnode;
        this.requestedName = requestedName;
        this.file = file;
        this.content = content;
        this.opened = opened;
        this.openedNanos = nowNanos;
        this.lastActivityNanos = nowNanos;
    }

    /** A read request of this session arrived. */
    void read(long nowNanos) {
        lastActivityNanos = nowNanos;
        hasRead = true;
    }

    /** Whether the client has read since the session opened: a boot ROM does at once. */
    boolean hasRead() {
        return hasRead;
    }

    /** Counts a reply of {@code length} bytes at {@code offset}; true the first time it reaches the end. */
    boolean sent(long offset, int length) {
        bytesSent += length;
        long end = offset + length;
        if (end > highestOffset) {
            highestOffset = end;
        }
        if (!reportedComplete && end >= file.size()) {
            reportedComplete = true;
            return true;
        }
        return false;
    }

    Duration idle(long nowNanos) {
        return Duration.ofNanos(nowNanos - lastActivityNanos);
    }

    Duration age(long nowNanos) {
        return Duration.ofNanos(nowNanos - openedNanos);
    }

    long bytesSent() {
        return bytesSent;
    }

    long highestOffset() {
        return highestOffset;
    }

    void close() {
        try {
            content.close();
        } catch (IOException ignored) {
            // Read-only file: nothing is lost when closing fails.
        }
    }
}
