package org.diskless.link.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.diskless.api.HardwareAddress;
import org.diskless.link.EthernetPort;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;

/**
 * One bound AF_PACKET socket. Calls hold the read side of a lock while they are in the kernel and
 * {@link #close()} takes the write side, so the descriptor is never closed under a running call
 * (and never reused by the kernel for another socket while a call still names it).
 */
final class PacketSocketPort implements EthernetPort {

    /** Big enough for any frame a driver hands a packet socket, jumbo or offloaded. */
    private static final int RECEIVE_BUFFER = 65536;

    private final int fd;
    private final String interfaceName;
    private final HardwareAddress hardwareAddress;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Memory receiveBuffer = new Memory(RECEIVE_BUFFER);
    private final Memory pollDescriptor = new Memory(LinuxSockets.POLLFD_SIZE);
    private final ThreadLocal<Memory> sendBuffers = ThreadLocal.withInitial(() -> new Memory(RECEIVE_BUFFER));
    private boolean closed;

    PacketSocketPort(int fd, String interfaceName, HardwareAddress hardwareAddress) {
        this.fd = fd;
        this.interfaceName = interfaceName;
        this.hardwareAddress = hardwareAddress;
    }

    @Override
    public String interfaceName() {
        return interfaceName;
    }

    @Override
    public HardwareAddress hardwareAddress() {
        return hardwareAddress;
    }

    @Override
    public int receive(ByteBuffer frame, Duration timeout) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
        lock.readLock().lock();
        try {
            ensureOpen();
            synchronized (receiveBuffer) { // one receiver at a time shares the native buffers
                pollDescriptor.setInt(0, fd);
                pollDescriptor.setShort(4, LinuxSockets.POLLIN);
                pollDescriptor.setShort(6, (short) 0);
                int ready;
                try {
                    ready = LinuxSockets.poll(pollDescriptor, new NativeLong(1), millis);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == LinuxSockets.EINTR) {
                        return 0;
                    }
                    throw failure("poll", e);
                }
                if (ready <= 0) {
                    return 0;
                }
                if ((pollDescriptor.getShort(6) & LinuxSockets.POLLIN) == 0) {
                    throw new IOException("raw socket on " + interfaceName + " reported an error (poll events 0x"
                            + Integer.toHexString(pollDescriptor.getShort(6) & 0xFFFF)
                            + "); is the interface still there?");
                }
                long length;
                try {
                    length = LinuxSockets.recv(fd, receiveBuffer, new NativeLong(RECEIVE_BUFFER), 0).longValue();
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == LinuxSockets.EINTR || e.getErrorCode() == LinuxSockets.EAGAIN) {
                        return 0;
                    }
                    throw failure("recv", e);
                }
                int copied = (int) Math.min(length, frame.remaining());
                frame.put(receiveBuffer.getByteBuffer(0, copied));
                return copied;
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void send(ByteBuffer frame) throws IOException {
        int length = frame.remaining();
        if (length > RECEIVE_BUFFER) {
            throw new IOException("frame of " + length + " bytes is larger than any interface sends");
        }
        Memory buffer = sendBuffers.get();
        buffer.getByteBuffer(0, length).put(frame.duplicate());
        lock.readLock().lock();
        try {
            ensureOpen();
            LinuxSockets.send(fd, buffer, new NativeLong(length), 0);
            frame.position(frame.limit());
        } catch (LastErrorException e) {
            throw failure("send", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                try {
                    LinuxSockets.close(fd);
                } catch (LastErrorException ignored) {
                    // Nothing to do about a failed close: the descriptor is gone either way.
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("raw socket on " + interfaceName + " is closed");
        }
    }

    private IOException failure(String call, LastErrorException e) {
        return new IOException(call + " on the raw socket of " + interfaceName + " failed: "
                + LinuxSockets.errorName(e.getErrorCode()), e);
    }

    @Override
    public String toString() {
        return "raw socket on " + interfaceName + " (" + hardwareAddress + ")";
    }
}
