package org.diskless.api.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An open boot file. Reads are positional, so a protocol re-reads a block to retransmit it
 * instead of holding it in memory.
 */
@ProviderType
public interface BootFileContent extends Closeable {

    long size();

    /**
     * Reads up to {@code dst.remaining()} bytes starting at {@code position}.
     *
     * @return the number of bytes read, or -1 at or past the end
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /**
     * The open file behind this content, when it is a file of the tree, so that a protocol can let
     * the kernel send it (sendfile) instead of copying it through the heap. Read it only
     * positionally and up to {@link #size()}; it belongs to this content, which closes it. Empty
     * for generated content.
     *
     * @since 2.1
     */
    default Optional<FileChannel> fileChannel() {
        return Optional.empty();
    }
}
