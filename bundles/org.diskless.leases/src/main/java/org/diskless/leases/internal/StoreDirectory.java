package org.diskless.leases.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of one lease store and the rules for changing them safely: a new file is written
 * under a temporary name, synced, renamed into place and the directory synced, so after a crash a
 * file either is complete under its real name or is a leftover {@code .tmp} that recovery removes.
 *
 * <pre>
 *   lock                       held (OS file lock) while a store has the directory open
 *   journal-0000000007.log     journal generation 7, written to; records, then zeros to its preallocated size
 *   journal-0000000008.log     the next journal, created ahead of time: header and zeros until used
 *   snapshot-0000000007.dat    the leases of every journal before generation 7
 *   *.tmp                      unfinished file of a crashed or failed write; removed at once, or at recovery
 *   *.damaged                  a file recovery found damaged, kept for the operator
 * </pre>
 */
final class StoreDirectory implements Closeable {

    private static final Pattern JOURNAL = Pattern.compile("journal-(\\d{10,18})\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{10,18})\\.dat");
    static final String TEMPORARY_SUFFIX = ".tmp";
    static final String DAMAGED_SUFFIX = ".damaged";
    private static final int ZERO_CHUNK = 1 << 20;

    /** What the directory holds, by kind. */
    record Listing(TreeSet<Long> journals, TreeSet<Long> snapshots, List<Path> temporaries) {
    }

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StoreDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and takes its lock, so two stores (in this or another
     * process) never append to one journal.
     */
    static StoreDirectory open(Path root) throws IOException {
        createDurably(root);
        FileChannel channel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IOException("the directory is already open by another lease store in this Karaf", e);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("the directory is locked by another process (another Karaf on the same lease directory?)");
        }
        return new StoreDirectory(root, channel, lock);
    }

    /** Creates the missing directories down to {@code directory}, syncing each new name's parent. */
    private static void createDurably(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.getParent();
        if (parent != null) {
            createDurably(parent);
        }
        Files.createDirectory(directory);
        syncDirectory(parent);
    }

    Path root() {
        return root;
    }

    Path journal(long generation) {
        return root.resolve(String.format(Locale.ROOT, "journal-%010d.log", generation));
    }

    Path snapshot(long generation) {
        return root.resolve(String.format(Locale.ROOT, "snapshot-%010d.dat", generation));
    }

    static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + TEMPORARY_SUFFIX);
    }

    Listing list() throws IOException {
        TreeSet<Long> journals = new TreeSet<>();
        TreeSet<Long> snapshots = new TreeSet<>();
        List<Path> temporaries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher journal = JOURNAL.matcher(name);
                Matcher snapshot = SNAPSHOT.matcher(name);
                if (journal.matches()) {
                    journals.add(Long.parseLong(journal.group(1)));
                } else if (snapshot.matches()) {
                    snapshots.add(Long.parseLong(snapshot.group(1)));
                } else if (name.endsWith(TEMPORARY_SUFFIX)) {
                    temporaries.add(file);
                }
            }
        }
        return new Listing(journals, snapshots, temporaries);
    }

    /**
     * Creates an empty journal atomically and returns it open for writing: the header, then zeros
     * up to {@code size} bytes (see {@link LeaseStoreSettings#journalPreallocation()}), synced.
     */
    FileChannel createJournal(long generation, LeaseJournal.Syncer syncer, long size) throws IOException {
        Path target = journal(generation);
        createDurably(target, syncer, channel -> {
            writeFully(channel, LeaseRecords.header(LeaseRecords.JOURNAL_MAGIC, generation), 0);
            writeZeros(channel, LeaseRecords.HEADER_SIZE, size);
        });
        return FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }

    /** Writes a file's whole content into a channel opened on an empty file. */
    interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Creates {@code target} with {@code content}: written under a temporary name, synced, renamed
     * into place. If any step fails the temporary file is removed (most often the disk is full, and
     * what was written so far must not stay to fill it further) and {@code target} is untouched.
     */
    void createDurably(Path target, LeaseJournal.Syncer syncer, Content content) throws IOException {
        Path temporary = temporary(target);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                syncer.force(channel, true);
            }
            moveIntoPlace(temporary, target);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Writes zeros over [from, to). Real zeros, not a hole or fallocate's unwritten extents: the
     * file system must not have to change anything but data when records land there later.
     */
    static void writeZeros(FileChannel channel, long from, long to) throws IOException {
        if (to <= from) {
            return;
        }
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK, to - from));
        for (long at = from; at < to; at += zeros.capacity()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
            writeFully(channel, zeros, at);
        }
    }

    /** Renames atomically and syncs the directory, so the new name survives a power cut. */
    void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + root + " cannot rename atomically", e);
        }
        sync();
    }

    /** Syncs the directory entry list: a created, renamed or deleted name is durable only then. */
    void sync() throws IOException {
        syncDirectory(root);
    }

    private static void syncDirectory(Path directory) throws IOException {
        if (directory == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * An I/O failure in words an operator can act on: NIO often puts only a path in the message of
     * its exceptions, the kind of failure being in the class name.
     */
    static String explain(IOException e) {
        if (e instanceof AccessDeniedException denied) {
            return "permission denied on " + denied.getFile();
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return ((FileSystemException) e).getFile() + " is a file, not a directory";
        }
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + " does not exist";
        }
        if (e instanceof FileSystemException other && other.getReason() != null) {
            return other.getFile() + ": " + other.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
