package org.diskless.rmp.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the directories of the configuration files and calls back when one of the files is
 * written, created, replaced or removed. Editors that save through a temporary file and a rename
 * are seen too, since the directory is what is watched.
 */
final class ConfigWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final WatchService watcher;
    private final Set<Path> files;
    private final Thread thread;

    private ConfigWatcher(WatchService watcher, Set<Path> files, Runnable changed) {
        this.watcher = watcher;
        this.files = files;
        this.thread = new Thread(() -> run(changed), "diskless-rmp-config");
        this.thread.setDaemon(true);
    }

    /** Starts watching {@code files}; files in directories that do not exist are reported and skipped. */
    static ConfigWatcher watch(List<Path> files, Runnable changed) throws IOException {
        WatchService service = FileSystems.getDefault().newWatchService();
        Set<Path> directories = new HashSet<>();
        for (Path file : files) {
            Path directory = file.getParent();
            if (directory != null && directories.add(directory)) {
                try {
                    directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                } catch (IOException e) {
                    LOG.warn("Cannot watch {} for changes ({}); edits there apply when etc/org.diskless.rmp.cfg"
                            + " is saved again", directory, e.getMessage());
                }
            }
        }
        ConfigWatcher watcher = new ConfigWatcher(service, Set.copyOf(files), changed);
        watcher.thread.start();
        return watcher;
    }

    private void run(Runnable changed) {
        while (true) {
            WatchKey key;
            try {
                key = watcher.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Path directory = (Path) key.watchable();
            boolean ours = false;
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.context() instanceof Path name && files.contains(directory.resolve(name))) {
                    ours = true;
                } else if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    ours = true;
                }
            }
            key.reset();
            if (ours) {
                try {
                    changed.run();
                } catch (RuntimeException e) {
                    LOG.error("Reloading the RMP configuration failed", e);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException ignored) {
            // The thread ends on ClosedWatchServiceException either way.
        }
    }
}
