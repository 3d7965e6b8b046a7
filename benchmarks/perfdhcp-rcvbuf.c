/*
 * Preloaded into perfdhcp by dhcp-bench.sh: gives every UDP socket perfdhcp opens a receive buffer
 * of PERFDHCP_RCVBUF bytes (SO_RCVBUFFORCE, as root, past net.core.rmem_max).
 *
 * Why: perfdhcp plays tens of thousands of clients through one socket, whose default buffer
 * (net.core.rmem_default, 212992 bytes, about 170 small datagrams) fills whenever perfdhcp is off
 * the cpu for a few milliseconds while replies keep coming. Real clients each have their own
 * socket. The sysctl cannot be raised inside a network namespace, only for the whole host, and
 * perfdhcp has no option for it. The same buffer applies to every server the benchmark runs.
 *
 * With PERFDHCP_BROADCAST=1 it also lets those sockets send to a broadcast address (SO_BROADCAST),
 * which perfdhcp never asks for: dhcp-pg-bench.sh sends to the subnet's broadcast address so that
 * every server on it sees each message, as behind a relay that forwards to all of them.
 *
 * Build: gcc -shared -fPIC -O2 -o perfdhcp-rcvbuf.so perfdhcp-rcvbuf.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/socket.h>

int socket(int domain, int type, int protocol)
{
    static int (*next_socket)(int, int, int);
    if (!next_socket) {
        next_socket = (int (*)(int, int, int)) dlsym(RTLD_NEXT, "socket");
    }
    int fd = next_socket(domain, type, protocol);
    const char *wanted = getenv("PERFDHCP_RCVBUF");
    /* Flags such as SOCK_CLOEXEC share the type argument; compare the type alone. */
    int base_type = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0 && wanted && (domain == AF_INET || domain == AF_INET6) && base_type == SOCK_DGRAM) {
        int bytes = atoi(wanted);
        if (bytes > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
        }
    }
    const char *broadcast = getenv("PERFDHCP_BROADCAST");
    if (fd >= 0 && broadcast && broadcast[0] == '1' && domain == AF_INET && base_type == SOCK_DGRAM) {
        int on = 1;
        setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on);
    }
    return fd;
}
