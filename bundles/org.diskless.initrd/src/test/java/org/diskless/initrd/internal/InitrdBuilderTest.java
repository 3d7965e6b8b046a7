package org.diskless.initrd.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitrdBuilderTest {

    @TempDir
    Path work;

    @Test
    void twoBuildsOfTheSameTreeAreTheSameBytesWhateverTheTimesAndInodes() throws IOException {
        Path first = tree(work.resolve("first"));
        Path second = tree(work.resolve("second")); // the same content, other inodes, written later
        Files.setLastModifiedTime(second.resolve("bin/busybox"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

        Path a = build(first, work.resolve("a.gz"), InitrdOptions.reproducible());
        Path b = build(first, work.resolve("b.gz"), InitrdOptions.reproducible());
        Path c = build(second, work.resolve("c.gz"), InitrdOptions.reproducible());

        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(c));
    }

    @Test
    void theGzipHeaderCarriesNoTimeAndNoName() throws IOException {
        byte[] image = Files.readAllBytes(build(tree(work.resolve("root")), work.resolve("i.gz"),
                InitrdOptions.reproducible()));

        assertEquals(0x1f, image[0] & 0xff);
        assertEquals(0x8b, image[1] & 0xff);
        assertEquals(0, image[3], "no FNAME, FCOMMENT or FEXTRA flag");
        assertArrayEquals(new byte[4], new byte[] {image[4], image[5], image[6], image[7]}, "MTIME 0");
        assertEquals(3, image[9], "OS: Unix");
    }

    @Test
    void entriesComeInNameOrderRootOwnedAtTimeZeroWithTheirModes() throws IOException {
        Path root = tree(work.resolve("root"));
        Files.setAttribute(root.resolve("bin/busybox"), "unix:mode", 04755);

        Map<String, Read> entries = read(build(root, work.resolve("i.gz"), InitrdOptions.reproducible()));

        assertEquals(List.of("bin", "bin/busybox", "bin/sh", "dev", "etc", "etc/motd", "init", "tmp"),
                List.copyOf(entries.keySet()));
        assertEquals(0104755, entries.get("bin/busybox").entry.getMode(), "setuid kept");
        assertEquals(0041777, entries.get("tmp").entry.getMode(), "sticky directory kept");
        assertEquals(0100755, entries.get("init").entry.getMode());
        assertEquals(0100644, entries.get("etc/motd").entry.getMode());
        for (Read e : entries.values()) {
            assertEquals(0, e.entry.getUID(), e.entry.getName());
            assertEquals(0, e.entry.getGID(), e.entry.getName());
            assertEquals(0, e.entry.getTime(), e.entry.getName());
            assertEquals(CpioConstants.FORMAT_NEW, e.entry.getFormat());
        }
        assertEquals("#!/bin/sh\necho hello\n", new String(entries.get("init").data, StandardCharsets.UTF_8));
        assertEquals(2, entries.get("bin").entry.getNumberOfLinks(), "a directory: 2 + its subdirectories");
    }

    @Test
    void symbolicLinksStayLinksAndAreNeverFollowed() throws IOException {
        Path root = tree(work.resolve("root"));
        Files.createSymbolicLink(root.resolve("etc/outside"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("etc/loop"), Path.of(".."));

        Map<String, Read> entries = read(build(root, work.resolve("i.gz"), InitrdOptions.reproducible()));

        Read sh = entries.get("bin/sh");
        assertEquals(CpioConstants.C_ISLNK, sh.entry.getMode() & CpioConstants.S_IFMT);
        assertEquals(0777, sh.entry.getMode() & 07777);
        assertEquals("busybox", new String(sh.data, StandardCharsets.UTF_8));
        assertEquals("/etc/passwd", new String(entries.get("etc/outside").data, StandardCharsets.UTF_8));
        assertEquals("..", new String(entries.get("etc/loop").data, StandardCharsets.UTF_8));
        assertFalse(entries.keySet().stream().anyMatch(n -> n.startsWith("etc/loop/")), "a link is not walked into");
    }

    @Test
    void deviceNodesAndFifosKeepTheirTypeAndNumbers() throws IOException, InterruptedException {
        Path root = tree(work.resolve("root"));
        // Only an ordinary user's build skips this (mknod needs CAP_MKNOD); as root, as CI runs, a
        // node that cannot be made is a failure, not a reason to skip.
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "mknod needs root (CAP_MKNOD)");
        assertTrue(run("mknod", "-m", "600", root.resolve("dev/console").toString(), "c", "5", "1")
                && run("mknod", "-m", "660", root.resolve("dev/sda").toString(), "b", "8", "0")
                && run("mknod", "-m", "600", root.resolve("dev/big").toString(), "c", "259", "70000")
                && run("mkfifo", "-m", "644", root.resolve("dev/fifo").toString()),
                "could not make the device nodes and the FIFO as root");

        Map<String, Read> entries = read(build(root, work.resolve("i.gz"), InitrdOptions.reproducible()));

        CpioArchiveEntry console = entries.get("dev/console").entry;
        assertEquals(0020600, console.getMode());
        assertEquals(5, console.getRemoteDeviceMaj());
        assertEquals(1, console.getRemoteDeviceMin());
        CpioArchiveEntry disk = entries.get("dev/sda").entry;
        assertEquals(0060660, disk.getMode());
        assertEquals(8, disk.getRemoteDeviceMaj());
        assertEquals(0, disk.getRemoteDeviceMin());
        CpioArchiveEntry big = entries.get("dev/big").entry;
        assertEquals(259, big.getRemoteDeviceMaj(), "a major above 255");
        assertEquals(70000, big.getRemoteDeviceMin(), "a minor above 255, in the dev_t's high bits");
        assertEquals(0010644, entries.get("dev/fifo").entry.getMode());
        assertEquals(0, entries.get("dev/fifo").entry.getSize());
    }

    @Test
    void hardLinksShareOneInodeWithTheDataOnTheLastName() throws IOException {
        Path root = tree(work.resolve("root"));
        Files.createLink(root.resolve("bin/ash"), root.resolve("bin/busybox"));

        InitrdResult result;
        Path image = work.resolve("i.gz");
        result = InitrdBuilder.build(root, image, InitrdOptions.reproducible(), InitrdProgress.NONE);
        Map<String, Read> entries = read(image);

        CpioArchiveEntry ash = entries.get("bin/ash").entry;
        CpioArchiveEntry busybox = entries.get("bin/busybox").entry;
        assertEquals(ash.getInode(), busybox.getInode());
        assertEquals(2, ash.getNumberOfLinks());
        assertEquals(0, ash.getSize(), "bin/ash sorts first: no data");
        assertEquals("BUSYBOX", new String(entries.get("bin/busybox").data, StandardCharsets.UTF_8));
        assertEquals(2, result.hardLinked());
    }

    @Test
    void theResultCountsWhatWasWrittenAndProgressIsReported() throws IOException {
        Path root = tree(work.resolve("root"));
        List<Long> written = new ArrayList<>();
        long[] scanned = {-1};
        Path image = work.resolve("i.gz");

        InitrdResult result = InitrdBuilder.build(root, image, InitrdOptions.reproducible(), new InitrdProgress() {
            @Override
            public void scanned(long entries) {
                scanned[0] = entries;
            }

            @Override
            public void written(long count, long bytes) {
                written.add(count);
            }
        });

        assertEquals(8, result.entries());
        assertEquals(3, result.files());
        assertEquals(1, result.links());
        assertEquals(8, scanned[0]);
        assertEquals(8, written.size());
        assertEquals(Files.size(image), result.compressedBytes());
        assertEquals(0, result.archiveBytes() % 512, "the trailer pads to a 512-byte block");
    }

    @Test
    void keptTimesAndOwnersAreTheFilesOwn() throws IOException {
        Path root = tree(work.resolve("root"));
        Instant when = Instant.parse("2020-02-02T02:02:02Z");
        Files.setLastModifiedTime(root.resolve("init"), FileTime.from(when));

        Map<String, Read> entries = read(build(root, work.resolve("i.gz"),
                new InitrdOptions(true, true, 100, 10)));

        assertEquals(when.getEpochSecond(), entries.get("init").entry.getTime());
        assertEquals(((Integer) Files.getAttribute(root.resolve("init"), "unix:uid")).longValue(),
                entries.get("init").entry.getUID());
    }

    @Test
    void anOutputInsideTheSourceIsRefused() throws IOException {
        Path root = tree(work.resolve("root"));
        Files.createSymbolicLink(work.resolve("alias"), root);

        IOException direct = assertThrows(IOException.class, () -> build(root, root.resolve("etc/i.gz"),
                InitrdOptions.reproducible()));
        assertTrue(direct.getMessage().contains("would archive itself"), direct.getMessage());
        assertThrows(IOException.class, () -> build(root, work.resolve("alias/i.gz"), InitrdOptions.reproducible()),
                "through a link to the source");
        assertFalse(Files.exists(root.resolve("etc/i.gz")));
    }

    @Test
    void aTreeTooLargeOrTooDeepIsRefusedAndLeavesNoFile() throws IOException {
        Path root = tree(work.resolve("root"));
        Path image = work.resolve("i.gz");

        IOException many = assertThrows(IOException.class, () -> build(root, image, new InitrdOptions(false, false, 5, 10)));
        assertTrue(many.getMessage().contains("more than 5 entries"), many.getMessage());
        Files.createDirectories(root.resolve("a/b/c/d"));
        IOException deep = assertThrows(IOException.class, () -> build(root, image, new InitrdOptions(false, false, 100, 3)));
        assertTrue(deep.getMessage().contains("more than 3 levels"), deep.getMessage());
        try (var left = Files.list(work)) {
            assertEquals(List.of("root"), left.map(p -> p.getFileName().toString()).toList(), "no image, no partial");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A small RAM-disk root: an init script, busybox with a link, a text file, a sticky /tmp, /dev. */
    private static Path tree(Path root) throws IOException {
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("dev"));
        Files.createDirectories(root.resolve("tmp"));
        Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(root.resolve("tmp"), "unix:mode", 01777);
        Files.writeString(root.resolve("bin/busybox"), "BUSYBOX");
        Files.setPosixFilePermissions(root.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Files.writeString(root.resolve("etc/motd"), "hello\n");
        Files.setPosixFilePermissions(root.resolve("etc/motd"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(root.resolve("init"), "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(root.resolve("init"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    private static Path build(Path root, Path image, InitrdOptions options) throws IOException {
        InitrdBuilder.build(root, image, options, InitrdProgress.NONE);
        return image;
    }

    private record Read(CpioArchiveEntry entry, byte[] data) {
    }

    /** The image read back with Commons Compress, entries in archive order. */
    private static Map<String, Read> read(Path image) throws IOException {
        Map<String, Read> entries = new LinkedHashMap<>();
        try (InputStream in = new CpioArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(image)))) {
            CpioArchiveInputStream cpio = (CpioArchiveInputStream) in;
            for (CpioArchiveEntry e; (e = cpio.getNextEntry()) != null; ) {
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                cpio.transferTo(data);
                entries.put(e.getName(), new Read(e, data.toByteArray()));
            }
        }
        return entries;
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
