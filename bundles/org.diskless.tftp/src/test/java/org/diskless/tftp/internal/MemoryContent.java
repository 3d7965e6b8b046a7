package org.diskless.tftp.internal;

import java.nio.ByteBuffer;

import org.diskless.api.files.BootFileContent;

/** A boot file held in memory, counting the bytes read from it and how often it was closed. */
class MemoryContent implements BootFileContent {

    private final byte[] bytes;
    long bytesRead;
    int closed;

    MemoryContent(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public int read(ByteBuffer dst, long position) {
        if (position >= bytes.length) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), bytes.length - position);
        dst.put(bytes, (int) position, n);
        bytesRead += n;
        return n;
    }

    @Override
    public void close() {
        closed++;
    }
}
