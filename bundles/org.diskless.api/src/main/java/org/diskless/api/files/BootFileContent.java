package org.diskless.api.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

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
}
