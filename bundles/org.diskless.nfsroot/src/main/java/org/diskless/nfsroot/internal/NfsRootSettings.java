package org.diskless.nfsroot.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.diskless.support.config.SettingsUpdate;

/**
 * The checked settings of the NFS-root hints: the layout of the roots on this host, the exports
 * files to read, and the optional export through exportfs. A bad value is refused with its key.
 */
record NfsRootSettings(Mode mode, PathPattern rootPattern, PathPattern sharedRoot, PathPattern overlayPattern,
                       Path exportsFile, Optional<Path> exportsDirectory, boolean exportfs, String exportfsCommand,
                       Duration exportfsTimeout) {

    /** How the nodes' roots are laid out. */
    enum Mode {
        /** Each node its own read-write root. */
        PER_NODE("per-node"),
        /** One read-only root for many nodes, and a read-write overlay per node. */
        SHARED("shared");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    static final String DEFAULT_ROOT_PATTERN = "/export/root/{node}";
    static final String DEFAULT_SHARED_ROOT = "/export/root/shared";
    static final String DEFAULT_OVERLAY_PATTERN = "/export/overlay/{node}";
    static final String DEFAULT_EXPORTS_FILE = "/etc/exports";
    static final String DEFAULT_EXPORTS_DIRECTORY = "/etc/exports.d";
    static final String DEFAULT_EXPORTFS_COMMAND = "exportfs";
    static final int DEFAULT_EXPORTFS_TIMEOUT_SECONDS = 10;
    static final NfsRootSettings DEFAULTS = SettingsUpdate.defaults(NfsRootSettings::parse);

    static NfsRootSettings parse(Config config) throws InvalidSettingException {
        Mode mode = config.choice("mode", Mode.PER_NODE, Map.of("per-node", Mode.PER_NODE, "shared", Mode.SHARED));
        PathPattern rootPattern = pattern(config, "rootPattern", DEFAULT_ROOT_PATTERN);
        PathPattern sharedRoot = pattern(config, "sharedRoot", DEFAULT_SHARED_ROOT);
        PathPattern overlayPattern = pattern(config, "overlayPattern", DEFAULT_OVERLAY_PATTERN);
        if (mode == Mode.PER_NODE && !rootPattern.uses("node")) {
            throw new InvalidSettingException("rootPattern", rootPattern,
                    "must hold {node} in per-node mode, or every node would write into one root (mode = shared"
                            + " shares a read-only one)");
        }
        if (sharedRoot.uses("node")) {
            throw new InvalidSettingException("sharedRoot", sharedRoot, "is shared: {node} has no place in it"
                    + " ({group} has)");
        }
        if (!overlayPattern.uses("node")) {
            throw new InvalidSettingException("overlayPattern", overlayPattern, "must hold {node}: each node writes"
                    + " into its own overlay");
        }
        Path exportsFile = file(config, "exportsFile", DEFAULT_EXPORTS_FILE);
        Optional<Path> exportsDirectory = config.has("exportsDirectory") && config.text("exportsDirectory").isEmpty()
                ? Optional.empty() : Optional.of(file(config, "exportsDirectory", DEFAULT_EXPORTS_DIRECTORY));
        boolean exportfs = config.bool("exportfs", false);
        String command = config.text("exportfsCommand", DEFAULT_EXPORTFS_COMMAND);
        if (command.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw new InvalidSettingException("exportfsCommand", command, "a program name or path without spaces");
        }
        Duration timeout = config.seconds("exportfsTimeout", Duration.ofSeconds(DEFAULT_EXPORTFS_TIMEOUT_SECONDS), 1, 600);
        return new NfsRootSettings(mode, rootPattern, sharedRoot, overlayPattern, exportsFile, exportsDirectory,
                exportfs, command, timeout);
    }

    private static PathPattern pattern(Config config, String key, String defaultValue) throws InvalidSettingException {
        String text = config.text(key, defaultValue);
        Optional<String> refusal = PathPattern.refusal(text);
        if (refusal.isPresent()) {
            throw new InvalidSettingException(key, text, refusal.get());
        }
        return new PathPattern(text);
    }

    private static Path file(Config config, String key, String defaultValue) throws InvalidSettingException {
        String text = config.text(key, defaultValue);
        if (!text.startsWith("/") || text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidSettingException(key, text, "an absolute path");
        }
        return Path.of(text);
    }
}
