package org.diskless.mtftp.internal;

import java.nio.ByteBuffer;

import org.diskless.api.files.BootFileContent;

/** A file of any size whose byte at each position is known without storing it. */
final class PatternContent implements BootFileContent {

    private final long size;
    int closed;

    PatternContent(long size) {
        this.size = size;
    }

    static byte at(long position) {
        return (byte) (position * 31 + (position >>> 9));
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(ByteBuffer dst, long position) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), size - position);
        for (int i = 0; i < n; i++) {
            dst.put(at(position + i));
        }
        return n;
    }

    @Override
    public void close() {
        closed++;
    }
}
