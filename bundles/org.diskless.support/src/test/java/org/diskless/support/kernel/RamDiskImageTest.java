package org.diskless.support.kernel;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.files.BootFileUpload;
import org.diskless.support.kernel.RamDiskImage.Compression;
import org.junit.jupiter.api.Test;

class RamDiskImageTest {

    private static final byte[] EXT2_IMAGE = zeros(3 * 1024 * 1024 + 17);
    private static final byte[] CPIO = cpio();

    @Test
    void anUncompressedDiskImageNeedsItsOwnSize() throws IOException {
        RamDiskImage image = RamDiskImage.of(file(EXT2_IMAGE));
        assertEquals(Compression.NONE, image.compression());
        assertEquals(EXT2_IMAGE.length, image.bytes());
        assertFalse(image.initramfs());
    }

    @Test
    void aGzipDiskImageNeedsTheSizeItsTrailerRecordsNotTheFiles() throws IOException {
        byte[] gz = gzip(EXT2_IMAGE);
        RamDiskImage image = RamDiskImage.of(file(gz));
        assertEquals(Compression.GZIP, image.compression());
        assertTrue(gz.length < 100_000, "zeros compress well: " + gz.length);
        assertEquals(OptionalLong.of(EXT2_IMAGE.length), image.uncompressedBytes());
        assertEquals(EXT2_IMAGE.length, image.bytes());
        assertFalse(image.initramfs());
    }

    @Test
    void aCpioArchivePlainOrGzippedIsAnInitramfs() throws IOException {
        assertTrue(RamDiskImage.of(file(CPIO)).initramfs());
        assertTrue(RamDiskImage.of(file(gzip(CPIO))).initramfs());
        byte[] debianStyle = concat(CPIO, gzip(EXT2_IMAGE));
        assertTrue(RamDiskImage.of(file(debianStyle)).initramfs(), "an early uncompressed cpio, then the rest");
    }

    @Test
    void severalGzipMembersRecordOnlyTheLastSizeSoTheFileSizeStandsIn() throws IOException {
        byte[] random = new byte[200_000];
        new Random(7).nextBytes(random);
        byte[] twoMembers = concat(gzip(random), gzip("tail".getBytes(US_ASCII)));
        RamDiskImage image = RamDiskImage.of(file(twoMembers));
        assertEquals(OptionalLong.empty(), image.uncompressedBytes());
        assertEquals(twoMembers.length, image.bytes());

        RamDiskImage incompressible = RamDiskImage.of(file(gzip(random)));
        assertEquals(OptionalLong.of(random.length), incompressible.uncompressedBytes(),
                "random data grows a little in gzip and is still believed");
    }

    @Test
    void otherCompressionsAreNamedAndCountAtTheirFileSize() throws IOException {
        byte[] xz = concat(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0x00}, zeros(4000));
        RamDiskImage image = RamDiskImage.of(file(xz));
        assertEquals(Compression.XZ, image.compression());
        assertEquals(OptionalLong.empty(), image.uncompressedBytes());
        assertEquals(xz.length, image.bytes());
        assertEquals(Compression.ZSTD, RamDiskImage.of(file(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0})).compression());
    }

    @Test
    void aDamagedGzipIsNoInitramfsAndATinyFileIsReadWhole() throws IOException {
        byte[] damaged = gzip(CPIO);
        Arrays.fill(damaged, 10, damaged.length - 8, (byte) 0xff);
        assertFalse(RamDiskImage.of(file(damaged)).initramfs());
        assertEquals(3, RamDiskImage.of(file(new byte[] {1, 2, 3})).bytes());
        assertEquals(0, RamDiskImage.of(file(new byte[0])).bytes());
    }

    @Test
    void measuringThroughTheResolverGivesNothingForAFileItCannotServe() {
        BootContext context = BootContext.of(BootProtocol.TFTP, new InetSocketAddress("192.0.2.21", 2070));
        BootFileResolver resolver = new BootFileResolver() {
            @Override
            public BootFile resolve(String path, BootContext c) throws BootFileException {
                if (path.equals("initrd.gz")) {
                    return file(CPIO);
                }
                throw new BootFileException(BootFileException.Reason.NOT_FOUND, path + " not found");
            }

            @Override
            public BootFileUpload createUpload(String path, BootContext c, boolean replace) {
                throw new UnsupportedOperationException();
            }
        };
        assertEquals(Optional.of((long) CPIO.length), RamDiskImage.measure(resolver, "initrd.gz", context)
                .map(RamDiskImage::bytes));
        assertEquals(Optional.empty(), RamDiskImage.measure(resolver, "missing.gz", context));
        assertEquals(OptionalLong.of(CPIO.length), RamDiskImage.sizes(resolver, context, path -> "initrd.gz").apply("x"));
        assertEquals(OptionalLong.empty(), RamDiskImage.sizes(null, context, path -> "initrd.gz").apply("x"),
                "without the boot file service nothing is measured");
    }

    static BootFile file(byte[] bytes) {
        return new BootFile() {
            @Override
            public String path() {
                return "image";
            }

            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public boolean generated() {
                return false;
            }

            @Override
            public BootFileContent open() {
                return new BootFileContent() {
                    @Override
                    public long size() {
                        return bytes.length;
                    }

                    @Override
                    public int read(ByteBuffer dst, long position) {
                        if (position >= bytes.length) {
                            return -1;
                        }
                        // At most 1000 bytes a call, as a file read in pieces would give them.
                        int n = (int) Math.min(Math.min(dst.remaining(), 1000), bytes.length - position);
                        dst.put(bytes, (int) position, n);
                        return n;
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** A newc archive header, as the kernel's initramfs unpacker reads them. */
    private static byte[] cpio() {
        return ("070701" + "0".repeat(104) + "TRAILER!!!\0").getBytes(US_ASCII);
    }

    private static byte[] zeros(int n) {
        return new byte[n];
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
