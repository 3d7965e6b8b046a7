package org.diskless.http.internal;

import java.io.EOFException;
import java.io.IOException;

import org.diskless.api.files.BootFileContent;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

/**
 * A range of a boot file read in chunks, for content the kernel cannot send by itself (a generated
 * file, held in memory). {@code ChunkedWriteHandler} asks for the next chunk only while the
 * connection is writable, so a slow client holds one chunk, not the file.
 */
final class ContentChunks implements ChunkedInput<ByteBuf> {

    static final int CHUNK_SIZE = 64 * 1024;

    private final BootFileContent content;
    private final long end;
    private final long start;
    private long position;

    ContentChunks(BootFileContent content, ByteRange range) {
        this.content = content;
        this.start = range.first();
        this.position = range.first();
        this.end = range.last() + 1;
    }

    @Override
    public boolean isEndOfInput() {
        return position >= end;
    }

    @Override
    public void close() {
        // The content belongs to the exchange, which closes it when the response is done.
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
        if (isEndOfInput()) {
            return null;
        }
        int wanted = (int) Math.min(CHUNK_SIZE, end - position);
        ByteBuf chunk = allocator.buffer(wanted);
        try {
            while (chunk.writerIndex() < wanted) {
                int n = content.read(chunk.nioBuffer(chunk.writerIndex(), wanted - chunk.writerIndex()),
                        position + chunk.writerIndex());
                if (n < 0) {
                    // Shorter than the Content-Length already sent: the connection must end, not pad.
                    throw new EOFException("the file ended at " + (position + chunk.writerIndex())
                            + " bytes, before the " + end + " announced");
                }
                chunk.writerIndex(chunk.writerIndex() + n);
            }
            position += wanted;
            return chunk;
        } catch (IOException | RuntimeException e) {
            chunk.release();
            throw e;
        }
    }

    @Override
    public long length() {
        return end - start;
    }

    @Override
    public long progress() {
        return position - start;
    }
}
