package org.diskless.mtftp.internal;

import java.net.InetAddress;
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

/**
 * A boot root of pattern files: sizes by name, names that mean another file for one client (as a
 * context-dependent file does), and generated files; it records what it opened.
 */
final class TestResolver implements BootFileResolver {

    private record Entry(long size, boolean generated) {
    }

    private final Map<String, Entry> files = new HashMap<>();
    private final Map<InetAddress, Map<String, String>> perClient = new HashMap<>();
    final List<PatternContent> opened = new ArrayList<>();
    int resolutions;

    TestResolver file(String path, long size) {
        files.put(path, new Entry(size, false));
        return this;
    }

    TestResolver generated(String path, long size) {
        files.put(path, new Entry(size, true));
        return this;
    }

    /** For {@code client}, {@code name} means {@code path}. */
    TestResolver forClient(InetAddress client, String name, String path) {
        perClient.computeIfAbsent(client, c -> new HashMap<>()).put(name, path);
        return this;
    }

    @Override
    public BootFile resolve(String name, BootContext context) throws BootFileException {
        resolutions++;
        String path = perClient.getOrDefault(context.client().getAddress(), Map.of()).getOrDefault(name, name);
        Entry entry = files.get(path);
        if (entry == null) {
            throw new BootFileException(BootFileException.Reason.NOT_FOUND, path);
        }
        return new BootFile() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public long size() {
                return entry.size();
            }

            @Override
            public boolean generated() {
                return entry.generated();
            }

            @Override
            public BootFileContent open() {
                PatternContent content = new PatternContent(entry.size());
                opened.add(content);
                return content;
            }
        };
    }

    @Override
    public BootFileUpload createUpload(String path, BootContext context, boolean replace) throws BootFileException {
        throw new BootFileException(BootFileException.Reason.DENIED, "no uploads here");
    }
}
