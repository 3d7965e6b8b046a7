package org.diskless.initrd.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Builds a Linux initramfs: a newc ("070701") cpio archive of a directory, gzip-compressed, the
 * format the kernel unpacks into its rootfs (Documentation/filesystems/ramfs-rootfs-initramfs).
 *
 * <p><b>Reproducible.</b> Entries are in name order, inode numbers are counted in that order (never
 * the source file system's), times are 0 and owners root unless asked to keep them, and the gzip
 * header carries neither a time nor a file name: the same tree gives the same bytes, wherever and
 * whenever it is built.
 *
 * <p><b>Faithful.</b> Modes (setuid, sticky and all), symbolic links (as links), device nodes with
 * their major and minor numbers, FIFOs and sockets are kept; files linked more than once within the
 * tree stay hard links, as GNU cpio writes them (one inode, the data with the last name), which the
 * kernel links again when it unpacks.
 *
 * <p><b>Safe to run.</b> The output may not lie inside the source (it would archive itself); the
 * image is written to a temporary file beside the output and renamed over it only when complete.
 */
public final class InitrdBuilder {

    private static final int COPY_BUFFER = 64 * 1024;

    private InitrdBuilder() {
    }

    public static InitrdResult build(Path source, Path output, InitrdOptions options, InitrdProgress progress)
            throws IOException {
        if (!Files.isDirectory(source)) {
            throw new IOException(source + " is not a directory");
        }
        Path realSource = source.toRealPath();
        Path target = output.toAbsolutePath().normalize();
        Path folder = target.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IOException("the folder of " + output + " does not exist");
        }
        Path realTarget = folder.toRealPath().resolve(target.getFileName());
        if (realTarget.startsWith(realSource)) {
            throw new IOException(output + " lies inside the source " + source
                    + ": the image would archive itself; write it elsewhere");
        }
        if (Files.isDirectory(realTarget)) {
            throw new IOException(output + " is a directory; name the image file");
        }
        List<TreeEntry> entries = SourceTree.read(realSource, options);
        progress.scanned(entries.size());

        Path partial = Files.createTempFile(realTarget.getParent(), "." + realTarget.getFileName(), ".partial");
        try {
            InitrdResult result;
            try (OutputStream file = Files.newOutputStream(partial)) {
                result = write(entries, file, options, progress);
            }
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(partial, realTarget, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return result;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The gzip-compressed archive of {@code entries}, written to {@code out} (left open). */
    static InitrdResult write(List<TreeEntry> entries, OutputStream out, InitrdOptions options,
                              InitrdProgress progress) throws IOException {
        HardLinks links = HardLinks.of(entries);
        Map<String, Long> subdirectories = new HashMap<>();
        for (TreeEntry entry : entries) {
            if (entry.isDirectory()) {
                subdirectories.merge(parentOf(entry.name()), 1L, Long::sum);
            }
        }
        GzipParameters gzip = new GzipParameters();
        gzip.setCompressionLevel(Deflater.BEST_COMPRESSION);
        gzip.setModificationTime(0);
        gzip.setOS(GzipParameters.OS.UNIX);
        Counting compressed = new Counting(new NonClosing(out));
        long files = 0;
        long symlinks = 0;
        long devices = 0;
        long bytes = 0;
        long written = 0;
        Counting archived;
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(compressed, gzip)) {
            archived = new Counting(gz);
            try (CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(archived, CpioConstants.FORMAT_NEW,
                    CpioConstants.BLOCK_SIZE, StandardCharsets.UTF_8.name())) {
                long inode = 0;
                Map<HardLinks.Key, Long> linkInodes = new HashMap<>();
                for (TreeEntry entry : entries) {
                    CpioArchiveEntry cpioEntry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, entry.name());
                    cpioEntry.setMode(entry.mode());
                    cpioEntry.setUID(options.keepOwners() ? entry.uid() : 0);
                    cpioEntry.setGID(options.keepOwners() ? entry.gid() : 0);
                    cpioEntry.setTime(options.keepTimes() ? entry.mtime() : 0);
                    HardLinks.Key key = links.keyOf(entry);
                    Long number = key == null ? null : linkInodes.get(key);
                    if (number == null) {
                        number = ++inode;
                        if (key != null) {
                            linkInodes.put(key, number);
                        }
                    }
                    cpioEntry.setInode(number);
                    cpioEntry.setNumberOfLinks(entry.isDirectory() ? 2 + subdirectories.getOrDefault(entry.name(), 0L)
                            : key == null ? 1 : links.count(key));
                    if (entry.isDevice()) {
                        cpioEntry.setRemoteDeviceMaj(entry.rdevMajor());
                        cpioEntry.setRemoteDeviceMin(entry.rdevMinor());
                        devices++;
                    }
                    byte[] linkTarget = null;
                    boolean withData = false;
                    if (entry.isSymbolicLink()) {
                        linkTarget = Files.readSymbolicLink(entry.path()).toString().getBytes(StandardCharsets.UTF_8);
                        cpioEntry.setSize(linkTarget.length);
                        symlinks++;
                    } else if (entry.isRegular()) {
                        withData = key == null || links.carriesData(entry);
                        cpioEntry.setSize(withData ? entry.size() : 0);
                        files++;
                    }
                    cpio.putArchiveEntry(cpioEntry);
                    if (linkTarget != null) {
                        cpio.write(linkTarget);
                    } else if (withData) {
                        bytes += copy(entry, cpio);
                    }
                    cpio.closeArchiveEntry();
                    progress.written(++written, bytes);
                }
                cpio.finish();
            }
        }
        return new InitrdResult(entries.size(), files, symlinks, devices, links.sharing(), archived.count,
                compressed.count);
    }

    /** Copies a regular file's data, which must still be as long as the tree said. */
    private static long copy(TreeEntry entry, OutputStream to) throws IOException {
        long copied = 0;
        byte[] buffer = new byte[COPY_BUFFER];
        try (InputStream in = Files.newInputStream(entry.path())) {
            for (int n; (n = in.read(buffer, 0, (int) Math.min(buffer.length, entry.size() - copied + 1))) > 0; ) {
                copied += n;
                if (copied > entry.size()) {
                    break;
                }
                to.write(buffer, 0, n);
            }
        }
        if (copied != entry.size()) {
            throw new IOException(entry.path() + " changed while it was archived (" + entry.size() + " bytes when the"
                    + " tree was read, " + (copied > entry.size() ? "more" : copied) + " now): build again once"
                    + " the tree is still");
        }
        return copied;
    }

    private static String parentOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    /** Counts what passes through. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Leaves the caller's stream open: the caller opened it. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
