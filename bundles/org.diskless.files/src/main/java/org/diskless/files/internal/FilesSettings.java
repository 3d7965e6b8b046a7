package org.diskless.files.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * The boot file tree's configuration, checked before it is used: a root that does not exist, is
 * written empty, or would put the server's own files ({@link ServerDirectories}) within reach of
 * every client on the network is refused, and the root in force keeps serving.
 *
 * @param root the directory served, absolute and normalised (not resolved through links)
 */
record FilesSettings(Path root) {

    static final String DEFAULT_ROOT = "tftpboot";

    static FilesSettings parse(Config config, ServerDirectories server) throws InvalidSettingException {
        if (config.has("root") && config.text("root").isEmpty()) {
            // Taken as the working directory, an empty root once served the Karaf base, SSH host key included.
            throw new InvalidSettingException("root", "", "empty; name the directory boot files are served from ("
                    + DEFAULT_ROOT + " by default, relative to the Karaf base)");
        }
        String written = config.text("root", DEFAULT_ROOT);
        Path root;
        try {
            root = Path.of(written);
        } catch (InvalidPathException e) {
            throw new InvalidSettingException("root", written, "not a path: " + e.getReason());
        }
        if (!root.isAbsolute()) {
            root = server.base().map(base -> base.resolve(written)).orElse(root);
        }
        root = root.toAbsolutePath().normalize();
        Path real = realDirectory(root, written);
        for (Path own : server.privateDirectories()) {
            Path realOwn = realOrAsWritten(own);
            if (realOwn.startsWith(real)) {
                throw new InvalidSettingException("root", written, root + (realOwn.equals(real) ? " is" : " holds")
                        + " the server's own " + own + " (SSH host key, configuration, leases), which every client"
                        + " could then read; serve boot files from a directory of their own, such as " + DEFAULT_ROOT);
            }
            if (real.startsWith(realOwn)) {
                throw new InvalidSettingException("root", written, root + " lies inside the server's own " + own
                        + ", which no client may read; serve boot files from a directory of their own, such as "
                        + DEFAULT_ROOT);
            }
        }
        return new FilesSettings(root);
    }

    private static Path realDirectory(Path root, String written) throws InvalidSettingException {
        Path real;
        try {
            real = root.toRealPath();
        } catch (NoSuchFileException e) {
            throw new InvalidSettingException("root", written, "no such directory: " + root);
        } catch (IOException e) {
            throw new InvalidSettingException("root", written, "cannot read " + root + ": " + e.getMessage());
        }
        if (!Files.isDirectory(real)) {
            throw new InvalidSettingException("root", written, root + " is not a directory");
        }
        return real;
    }

    /** Where a directory really is, links resolved; as written when it does not exist (it then holds nothing). */
    private static Path realOrAsWritten(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            return directory;
        }
    }
}
