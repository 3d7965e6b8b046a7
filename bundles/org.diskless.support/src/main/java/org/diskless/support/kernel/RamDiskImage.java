package org.diskless.support.kernel;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;

import org.diskless.api.boot.BootContext;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;

/**
 * What a node's {@code initrd} holds, as far as its first and last bytes tell: how large a RAM
 * disk it needs, and whether it is an initramfs at all.
 *
 * <p>A RAM disk must hold the image uncompressed: the kernel decompresses a disk image into
 * {@code /dev/ram0}. Gzip records that size in its last four bytes; an image in another format the
 * kernel reads (bzip2, lzma, xz, lzo, lz4, zstd) does not record it there, and counts at its file
 * size, which is then only a lower bound. An initramfs (a cpio archive, as the first bytes of the
 * file or of its gzip stream show) is unpacked into the kernel's own root instead, and needs no
 * RAM disk of any size.
 */
public final class RamDiskImage {

    /** How the image is compressed, by the magic numbers the kernel's decompressors know. */
    public enum Compression {
        NONE(new byte[0]),
        GZIP(new byte[] {0x1f, (byte) 0x8b}),
        BZIP2(new byte[] {'B', 'Z', 'h'}),
        LZMA(new byte[] {0x5d, 0x00, 0x00}),
        XZ(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0x00}),
        LZO(new byte[] {(byte) 0x89, 'L', 'Z', 'O'}),
        LZ4(new byte[] {0x02, 0x21, 0x4c, 0x18}),
        ZSTD(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});

        private final byte[] magic;

        Compression(byte[] magic) {
            this.magic = magic;
        }

        static Compression of(byte[] head) {
            for (Compression compression : values()) {
                if (compression != NONE && head.length >= compression.magic.length
                        && Arrays.equals(head, 0, compression.magic.length, compression.magic, 0, compression.magic.length)) {
                    return compression;
                }
            }
            return NONE;
        }
    }

    private static final int HEAD = 8;
    /** The cpio formats the kernel unpacks as an initramfs: "new" ASCII, with and without checksums. */
    private static final byte[][] CPIO_MAGIC = {"070701".getBytes(US_ASCII),
            "070702".getBytes(US_ASCII)};
    /** Compressed bytes read to see the first bytes of a gzip stream; its first deflate block is far smaller. */
    private static final int GZIP_PEEK_LIMIT = 64 * 1024;

    private final long fileBytes;
    private final Compression compression;
    private final OptionalLong uncompressedBytes;
    private final boolean initramfs;

    RamDiskImage(long fileBytes, Compression compression, OptionalLong uncompressedBytes, boolean initramfs) {
        this.fileBytes = fileBytes;
        this.compression = compression;
        this.uncompressedBytes = uncompressedBytes;
        this.initramfs = initramfs;
    }

    /** Reads the first bytes of the file and, for gzip, its last four. */
    public static RamDiskImage of(BootFile file) throws IOException {
        try (BootFileContent content = file.open()) {
            long size = content.size();
            byte[] head = read(content, 0, (int) Math.min(HEAD, size));
            Compression compression = Compression.of(head);
            if (compression == Compression.NONE) {
                return new RamDiskImage(size, compression, OptionalLong.of(size), startsWithCpio(head));
            }
            if (compression != Compression.GZIP || size < 18) {
                return new RamDiskImage(size, compression, OptionalLong.empty(), false);
            }
            long recorded = ByteBuffer.wrap(read(content, size - 4, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt()
                    & 0xffff_ffffL;
            // Deflate grows data by a few bytes per block at worst, so a recorded size well below the
            // file's means several gzip members (it is the last one's) or an image over 4 GiB.
            boolean plausible = recorded >= size - size / 1000 - 1024;
            return new RamDiskImage(size, compression, plausible ? OptionalLong.of(recorded) : OptionalLong.empty(),
                    startsWithCpio(gunzipHead(content)));
        }
    }

    /**
     * The image {@code path} resolves to for {@code context}, measured; empty when it cannot be
     * resolved or read (the loader then writes no size, and the NFS-root check says why).
     */
    public static Optional<RamDiskImage> measure(BootFileResolver resolver, String path, BootContext context) {
        try {
            return Optional.of(of(resolver.resolve(path, context)));
        } catch (BootFileException | IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The loader's measure for {@link KernelCommandLine.Builder#ramDiskImageSize}: the image a boot
     * file names, at the path {@code inBootRoot} makes of it, resolved as {@code context}'s node
     * gets it; empty without a resolver (the boot file service is not running) or when the image
     * cannot be measured.
     */
    public static Function<String, OptionalLong> sizes(BootFileResolver resolver, BootContext context,
                                                       UnaryOperator<String> inBootRoot) {
        if (resolver == null) {
            return path -> OptionalLong.empty();
        }
        return path -> measure(resolver, inBootRoot.apply(path), context).stream().mapToLong(RamDiskImage::bytes)
                .findFirst();
    }

    /** The size of the file as stored. */
    public long fileBytes() {
        return fileBytes;
    }

    public Compression compression() {
        return compression;
    }

    /** The size it decompresses to, when the file tells (uncompressed, or a gzip whose trailer is plausible). */
    public OptionalLong uncompressedBytes() {
        return uncompressedBytes;
    }

    /** What a RAM disk must hold: the uncompressed size when known, else the file's size (a lower bound). */
    public long bytes() {
        return uncompressedBytes.orElse(fileBytes);
    }

    /** Whether the image is a cpio archive, which the kernel unpacks as its initramfs (no RAM disk involved). */
    public boolean initramfs() {
        return initramfs;
    }

    private static boolean startsWithCpio(byte[] head) {
        for (byte[] magic : CPIO_MAGIC) {
            if (head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] gunzipHead(BootFileContent content) {
        try (InputStream in = new GZIPInputStream(new Prefix(content, GZIP_PEEK_LIMIT), 512)) {
            return in.readNBytes(HEAD);
        } catch (IOException e) {
            return new byte[0]; // not a gzip stream after all, or damaged: nothing to tell from it
        }
    }

    private static byte[] read(BootFileContent content, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = content.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("the file ended at " + (position + buffer.position()) + " bytes, before "
                        + "its announced size");
            }
        }
        return buffer.array();
    }

    @Override
    public String toString() {
        return "RamDiskImage[" + fileBytes + " bytes, " + compression + ", uncompressed " + uncompressedBytes
                + (initramfs ? ", initramfs" : "") + "]";
    }

    /** The first {@code limit} bytes of an open boot file as a stream. */
    private static final class Prefix extends InputStream {
        private final BootFileContent content;
        private final long limit;
        private long position;

        Prefix(BootFileContent content, long limit) {
            this.content = content;
            this.limit = Math.min(limit, content.size());
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position >= limit) {
                return -1;
            }
            int n = content.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, limit - position)), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }
}
