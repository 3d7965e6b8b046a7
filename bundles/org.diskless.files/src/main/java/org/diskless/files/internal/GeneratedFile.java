package org.diskless.files.internal;

import java.nio.ByteBuffer;

import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;

/** A file a BootFileProvider made for one client; it lives only as long as the transfer. */
record GeneratedFile(String path, byte[] content) implements BootFile {

    @Override
    public long size() {
        return content.length;
    }

    @Override
    public boolean generated() {
        return true;
    }

    @Override
    public BootFileContent open() {
        return new BootFileContent() {
            @Override
            public long size() {
                return content.length;
            }

            @Override
            public int read(ByteBuffer dst, long position) {
                if (position >= content.length) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), content.length - position);
                dst.put(content, (int) position, n);
                return n;
            }

            @Override
            public void close() {
            }
        };
    }
}
