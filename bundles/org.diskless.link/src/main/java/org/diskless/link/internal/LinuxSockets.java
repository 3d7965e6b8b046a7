package org.diskless.link.internal;

import java.nio.ByteOrder;
import java.util.Optional;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls a packet socket needs, bound once through JNA direct mapping (the fastest
 * JNA calling style: no proxy, no reflection per call). Loaded on first use so that a platform
 * without libc or JNA's native stub fails {@link #available()} instead of the bundle.
 */
final class LinuxSockets {

    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOL_PACKET = 263;
    static final int PACKET_ADD_MEMBERSHIP = 1;
    static final int PACKET_MR_MULTICAST = 0;
    static final short POLLIN = 0x0001;
    static final int SOCKADDR_LL_SIZE = 20;
    static final int PACKET_MREQ_SIZE = 16;
    static final int POLLFD_SIZE = 8;
    /** {@code struct ifreq}: a 16-byte name, then a 24-byte union (index, flags or address). */
    static final int IFREQ_SIZE = 40;
    static final int IFNAMSIZ = 16;
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCGIFHWADDR = 0x8927;
    static final long SIOCGIFINDEX = 0x8933;
    static final short IFF_UP = 0x1;
    static final int ARPHRD_ETHER = 1;

    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int ENODEV = 19;
    static final int ENETDOWN = 100;
    static final int ENXIO = 6;
    static final int EAFNOSUPPORT = 97;

    private static final Throwable UNAVAILABLE;

    static {
        Throwable failure = null;
        if (!Platform.isLinux()) {
            failure = new UnsupportedOperationException("AF_PACKET sockets exist on Linux only, this is "
                    + System.getProperty("os.name"));
        } else {
            try {
                Native.register(LinuxSockets.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            } catch (LinkageError | RuntimeException e) {
                failure = e;
            }
        }
        UNAVAILABLE = failure;
    }

    private LinuxSockets() {
    }

    /** Empty when the calls are bound; otherwise why not. */
    static Optional<Throwable> unavailable() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int bind(int fd, Pointer address, int addressLength) throws LastErrorException;

    static native int setsockopt(int fd, int level, int option, Pointer value, int valueLength)
            throws LastErrorException;

    static native int poll(Pointer fds, NativeLong count, int timeoutMillis) throws LastErrorException;

    static native NativeLong recv(int fd, Pointer buffer, NativeLong length, int flags) throws LastErrorException;

    static native NativeLong send(int fd, Pointer buffer, NativeLong length, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    /** Only the interface requests ({@code SIOCGIF*}), whose third argument is a {@code struct ifreq}. */
    static native int ioctl(int fd, NativeLong request, Pointer ifreq) throws LastErrorException;

    /** A 16-bit value in network byte order, as {@code htons} gives it, for any host byte order. */
    static int htons(int value) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN
                ? value & 0xFFFF
                : ((value & 0xFF) << 8) | ((value >> 8) & 0xFF);
    }

    /** The errno names an operator may search for; the number otherwise. */
    static String errorName(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (operation not permitted)";
            case EACCES -> "EACCES (permission denied)";
            case ENODEV -> "ENODEV (no such device)";
            case ENXIO -> "ENXIO (no such device or address)";
            case ENETDOWN -> "ENETDOWN (network is down)";
            case EAFNOSUPPORT -> "EAFNOSUPPORT (address family not supported)";
            default -> "errno " + errno;
        };
    }
}
