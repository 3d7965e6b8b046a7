package org.diskless.dhcp.internal;

import java.util.Arrays;
import java.util.Optional;

import org.diskless.dhcp.codec.DhcpMessage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The RFC 3074 hash of a DHCP client: Pearson's hash, with the RFC's mixing table, over what
 * identifies the client (the Service Transaction ID of section 5: the client identifier, option
 * 61, when the client sends one, else its hardware address, chaddr cut to hlen). Every server
 * computes the same bucket for a client, so they agree who answers it without talking.
 */
final class ClientHash {

    static final int BUCKETS = 256;

    /** RFC 3074 section 6: 256 distinct values in pseudo-random order, the same for every implementation. */
    private static final int[] MIXING_TABLE = {
        251, 175, 119, 215, 81, 14, 79, 191, 103, 49, 181, 143, 186, 157, 0,
        232, 31, 32, 55, 60, 152, 58, 17, 237, 174, 70, 160, 144, 220, 90, 57,
        223, 59, 3, 18, 140, 111, 166, 203, 196, 134, 243, 124, 95, 222, 179,
        197, 65, 180, 48, 36, 15, 107, 46, 233, 130, 165, 30, 123, 161, 209, 23,
        97, 16, 40, 91, 219, 61, 100, 10, 210, 109, 250, 127, 22, 138, 29, 108,
        244, 67, 207, 9, 178, 204, 74, 98, 126, 249, 167, 116, 34, 77, 193,
        200, 121, 5, 20, 113, 71, 35, 128, 13, 182, 94, 25, 226, 227, 199, 75,
        27, 41, 245, 230, 224, 43, 225, 177, 26, 155, 150, 212, 142, 218, 115,
        241, 73, 88, 105, 39, 114, 62, 255, 192, 201, 145, 214, 168, 158, 221,
        148, 154, 122, 12, 84, 82, 163, 44, 139, 228, 236, 205, 242, 217, 11,
        187, 146, 159, 64, 86, 239, 195, 42, 106, 198, 118, 112, 184, 172, 87,
        2, 173, 117, 176, 229, 247, 253, 137, 185, 99, 164, 102, 147, 45, 66,
        231, 52, 141, 211, 194, 206, 246, 238, 56, 110, 78, 248, 63, 240, 189,
        93, 92, 51, 53, 183, 19, 171, 72, 50, 33, 104, 101, 69, 8, 252, 83, 120,
        76, 135, 85, 54, 202, 125, 188, 213, 96, 235, 136, 208, 162, 129, 190,
        132, 156, 38, 47, 1, 7, 254, 24, 4, 216, 131, 89, 21, 28, 133, 37, 153,
        149, 80, 170, 68, 6, 169, 234, 151,
    };

    private ClientHash() {
    }

    /** The client's bucket, 0 to 255. */
    static int bucket(DhcpMessage request) {
        Optional<byte[]> clientId = request.options().clientIdentifier().filter(id -> id.length > 0);
        return hash(clientId.orElseGet(() -> Arrays.copyOf(request.chaddr(), request.hlen())));
    }

    static int hash(byte[] key) {
        return hash(Unpooled.wrappedBuffer(key), 0, key.length);
    }

    /**
     * RFC 3074 section 6: the hash starts as the key's length (modulo 256) and takes the key's
     * bytes from the last to the first, each through the mixing table. The key is read in place:
     * {@code length} bytes of {@code in} from {@code index}, as they arrived.
     */
    static int hash(ByteBuf in, int index, int length) {
        int hash = length & 0xFF;
        for (int i = index + length - 1; i >= index; i--) {
            hash = MIXING_TABLE[hash ^ in.getUnsignedByte(i)];
        }
        return hash;
    }
}
