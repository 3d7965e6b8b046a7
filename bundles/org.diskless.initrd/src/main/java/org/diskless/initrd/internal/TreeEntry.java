package org.diskless.initrd.internal;

import java.nio.file.Path;

/**
 * One file of the source tree as {@code lstat(2)} saw it (through the {@code unix:} attribute view).
 *
 * @param name  its path below the source, {@code /}-separated, as the archive names it
 * @param path  where to read it
 * @param mode  {@code st_mode}: type and permission bits
 * @param rdev  {@code st_rdev}: the device a device node stands for
 * @param dev   {@code st_dev}, with {@code ino}: which file it is, to tell hard links and loops
 * @param mtime seconds since the epoch
 */
record TreeEntry(String name, Path path, int mode, int uid, int gid, long size, long mtime, long rdev, long dev,
                 long ino, int nlink) {

    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;

    boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    boolean isRegular() {
        return (mode & S_IFMT) == S_IFREG;
    }

    boolean isSymbolicLink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    boolean isDevice() {
        return (mode & S_IFMT) == S_IFCHR || (mode & S_IFMT) == S_IFBLK;
    }

    /** Linux's {@code major(3)} of the device a node stands for. */
    long rdevMajor() {
        return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    }

    /** Linux's {@code minor(3)} of the device a node stands for. */
    long rdevMinor() {
        return (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L);
    }
}
