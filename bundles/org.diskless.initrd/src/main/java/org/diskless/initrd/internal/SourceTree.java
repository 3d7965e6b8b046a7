package org.diskless.initrd.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a source tree for an image: every entry below the root, in name order, with what
 * {@code lstat(2)} says of it. Symbolic links are kept as links, never followed, so a link cannot
 * lead the walk out of the tree or round in a circle; a directory met twice (a bind mount of a
 * parent below itself) is refused, and so are trees larger or deeper than the options allow: the
 * work is bounded whatever the source holds.
 */
final class SourceTree {

    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime,rdev,dev,ino,nlink";

    private SourceTree() {
    }

    /** The entries below {@code root} (not the root itself), parents before their children. */
    static List<TreeEntry> read(Path root, InitrdOptions options) throws IOException {
        List<TreeEntry> entries = new ArrayList<>();
        Set<List<Long>> directories = new HashSet<>();
        Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), options.maxDepth(),
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        TreeEntry entry = entry(root, dir);
                        if (!directories.add(List.of(entry.dev(), entry.ino()))) {
                            throw new IOException(dir + " is a directory already met above it (a bind mount"
                                    + " looping back?): refused, the image would never end");
                        }
                        if (!dir.equals(root)) {
                            add(entry);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        if (attrs.isDirectory()) {
                            throw new IOException(file + " is nested more than " + options.maxDepth()
                                    + " levels deep: refused (a larger limit is --max-depth)");
                        }
                        add(entry(root, file));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
                    }

                    private void add(TreeEntry entry) throws IOException {
                        if (entries.size() >= options.maxEntries()) {
                            throw new IOException(root + " holds more than " + options.maxEntries()
                                    + " entries: refused (the wrong directory? a larger limit is --max-entries)");
                        }
                        entries.add(entry);
                    }
                });
        entries.sort(Comparator.comparing(TreeEntry::name));
        return entries;
    }

    private static TreeEntry entry(Path root, Path path) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            throw new IOException("cannot read the modes, owners and device numbers of " + path
                    + ": the file system offers no unix attributes (a POSIX file system is needed)", e);
        }
        String name = root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
        return new TreeEntry(name, path, (Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
                (Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000,
                (Long) a.get("rdev"), (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"));
    }
}
