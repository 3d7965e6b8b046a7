package org.diskless.bench.storm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The boot root the servers serve, read once per file name the nodes are sent to: what every
 * received block is compared with. A name is looked up only inside the root.
 */
final class BootRoot {

    private final Path root;
    private final Map<String, ExpectedFile> files = new HashMap<>();

    BootRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The file a server names (in DHCP or a loader configuration), or why a node cannot fetch it. */
    ExpectedFile file(String name) throws IOException {
        ExpectedFile file = files.get(name);
        if (file == null) {
            Path path = root.resolve(name).normalize();
            if (!path.startsWith(root) || !Files.isRegularFile(path)) {
                throw new IOException("'" + name.replaceAll("\\p{Cntrl}", "?") + "' is no file of the boot root " + root);
            }
            file = new ExpectedFile(name, Files.readAllBytes(path));
            files.put(name, file);
        }
        return file;
    }

    /** Bytes of one copy of every file fetched so far. */
    long bytesOfOneCopy() {
        return files.values().stream().mapToLong(ExpectedFile::size).sum();
    }
}
