package org.diskless.tftp.internal;

import java.io.IOException;

import org.diskless.api.files.BootFileContent;

import io.netty.buffer.ByteBuf;

/** Octet mode: block n is bytes {@code (n-1)*blockSize} onwards of the file, as they are. */
final class OctetBlocks implements BlockSource {

    private final BootFileContent content;
    private final int blockSize;

    OctetBlocks(BootFileContent content, int blockSize) {
        this.content = content;
        this.blockSize = blockSize;
    }

    @Override
    public int read(long block, ByteBuf out) throws IOException {
        long position = (block - 1) * blockSize;
        int wanted = (int) Math.max(0, Math.min(blockSize, content.size() - position));
        out.ensureWritable(wanted);
        int done = 0;
        while (done < wanted) {
            int n = content.read(out.nioBuffer(out.writerIndex(), wanted - done), position + done);
            if (n <= 0) {
                throw new IOException("file shrank while being sent (" + (position + done) + " of "
                        + content.size() + " bytes)");
            }
            out.writerIndex(out.writerIndex() + n);
            done += n;
        }
        return done;
    }

    @Override
    public long transferSize() {
        return content.size();
    }
}
