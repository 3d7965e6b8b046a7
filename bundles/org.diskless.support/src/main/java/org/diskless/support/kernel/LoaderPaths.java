package org.diskless.support.kernel;

import java.util.function.UnaryOperator;

/**
 * Where a loader takes a node's boot files from, so that whoever measures or checks them (the
 * loaders themselves, the NFS-root checks) looks where the loader will.
 */
public final class LoaderPaths {

    /** iPXE fetches {@code /<path>}: from the boot root, whatever the boot file starts with. */
    public static final UnaryOperator<String> FROM_ROOT = path -> path.replaceFirst("^/+", "");

    private LoaderPaths() {
    }

    /**
     * pxelinux takes a path relative to its own folder unless it starts with {@code /}.
     *
     * @param folder the loader's folder under the boot root, with a trailing {@code /}, empty for the root
     */
    public static UnaryOperator<String> relativeTo(String folder) {
        return path -> path.startsWith("/") ? FROM_ROOT.apply(path) : folder + path;
    }

    /** The folder of a file under the boot root, with a trailing {@code /} (empty for the root itself). */
    public static String folderOf(String file) {
        return file.substring(0, file.lastIndexOf('/') + 1);
    }

    /** The last part of a path: iPXE names an image after it, and an EFI-stub kernel finds its initrd by it. */
    public static String lastPart(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
