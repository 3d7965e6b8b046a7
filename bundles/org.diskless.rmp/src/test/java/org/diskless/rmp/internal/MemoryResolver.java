package org.diskless.rmp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.diskless.api.boot.BootContext;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.files.BootFileUpload;

/** Boot files in memory; records every context it was asked with and which files are open. */
final class MemoryResolver implements BootFileResolver {

    final Map<String, byte[]> files = new HashMap<>();
    final Map<String, BootFileException.Reason> refusals = new HashMap<>();
    final List<BootContext> contexts = new ArrayList<>();
    final List<String> paths = new ArrayList<>();
    int open;

    MemoryResolver with(String path, byte[] content) {
        files.put(path, content);
        return this;
    }

    @Override
    public BootFile resolve(String path, BootContext context) throws BootFileException {
        contexts.add(context);
        paths.add(path);
        BootFileException.Reason refusal = refusals.get(path);
        if (refusal != null) {
            throw new BootFileException(refusal, path + " refused for the test");
        }
        byte[] content = files.get(path);
        if (content == null) {
            throw new BootFileException(BootFileException.Reason.NOT_FOUND, "'" + path + "' not found");
        }
        return new BootFile() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public long size() {
                return content.length;
            }

            @Override
            public boolean generated() {
                return false;
            }

            @Override
            public BootFileContent open() {
                open++;
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
                        open--;
                    }
                };
            }
        };
    }

    @Override
    public BootFileUpload createUpload(String path, BootContext context, boolean replace) throws BootFileException {
        throw new BootFileException(BootFileException.Reason.DENIED, "RMP never uploads");
    }

    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 8));
        }
        return bytes;
    }

}
