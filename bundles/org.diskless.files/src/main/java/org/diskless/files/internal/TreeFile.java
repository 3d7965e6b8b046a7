package org.diskless.files.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;

/** A file of the boot tree, opened by its real path so a swapped link cannot redirect it. */
record TreeFile(String path, Path realPath, long size, Instant modified) implements BootFile {

    @Override
    public Optional<Instant> lastModified() {
        return Optional.of(modified); // read with the size, so that both describe the same version
    }

    @Override
    public boolean generated() {
        return false;
    }

    @Override
    public BootFileContent open() throws IOException {
        FileChannel channel = FileChannel.open(realPath, StandardOpenOption.READ);
        return new BootFileContent() {
            @Override
            public long size() {
                return size; // fixed at resolution: the size a client was told in tsize
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                if (position >= size) {
                    return -1;
                }
                int wanted = (int) Math.min(dst.remaining(), size - position);
                ByteBuffer window = dst.slice(dst.position(), wanted);
                int total = 0;
                while (window.hasRemaining()) {
                    int n = channel.read(window, position + total);
                    if (n < 0) {
                        break; // truncated since it was resolved
                    }
                    total += n;
                }
                dst.position(dst.position() + total);
                return total == 0 && wanted > 0 ? -1 : total;
            }

            @Override
            public Optional<FileChannel> fileChannel() {
                return Optional.of(channel);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
