package org.diskless.files.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.diskless.api.files.BootFileUpload;

/**
 * An upload written to a hidden temporary file beside its target, flushed to disk, then moved in
 * place in one step, so a reader sees the old file or the whole new one and never a part.
 */
final class TreeUpload implements BootFileUpload {

    static final String TEMP_PREFIX = ".upload-";

    private final String path;
    private final Path target;
    private final boolean replace;
    private final Path temp;
    private final FileChannel channel;
    private long size;
    private boolean finished;

    TreeUpload(String path, Path target, boolean replace) throws IOException {
        this.path = path;
        this.target = target;
        this.replace = replace;
        // createTempFile makes 0600; a boot file must be readable by whatever else serves the tree.
        this.temp = Files.createTempFile(target.getParent(), TEMP_PREFIX, ".part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            size += channel.write(src);
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void commit() throws IOException {
        if (finished) {
            throw new IllegalStateException("upload of " + path + " already finished");
        }
        channel.force(true);
        channel.close();
        if (replace) {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            // A hard link fails if the name was taken meanwhile; a rename would silently replace it.
            try {
                Files.createLink(target, temp);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        finished = true;
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            finished = true;
            channel.close();
            Files.deleteIfExists(temp);
        }
    }
}
