package org.diskless.api.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A file being received. Nothing is visible under its name until {@link #commit()}; closing an
 * upload that was not committed discards everything written.
 */
@ProviderType
public interface BootFileUpload extends Closeable {

    String path();

    /** Appends all remaining bytes of {@code src}. */
    void write(ByteBuffer src) throws IOException;

    long size();

    /** Makes the file visible under its name, atomically. */
    void commit() throws IOException;

    /** Discards the upload unless it was committed. */
    @Override
    void close() throws IOException;
}
