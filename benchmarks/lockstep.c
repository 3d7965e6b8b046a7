/*
 * The fastest lock-step multicast transfer this host allows: what bounds a PXE MTFTP round, where
 * the server sends a block to the group and waits for the master's ACK before the next one. Two
 * halves of one program, each pinned to a cpu by the caller (benchmarks/lockstep-bound.sh):
 *
 *   lockstep master GROUP PORT SERVER SERVER_PORT IFADDR SPIN
 *       joins GROUP on the interface with address IFADDR, binds GROUP:PORT, sends one open
 *       datagram to SERVER:SERVER_PORT and then acknowledges every block it gets (4 bytes:
 *       the block number) to the block's sender, until a block shorter than 4 bytes ends it.
 *   lockstep sender GROUP PORT BIND_PORT BLOCKS BLOCK_SIZE SPIN
 *       waits for the open on BIND_PORT, then sends BLOCKS blocks of BLOCK_SIZE bytes (and a
 *       4-byte block number first) to GROUP:PORT, each after the ACK of the one before, and
 *       prints the blocks, the seconds and the microseconds per round trip.
 *
 * SPIN 1: both sides poll their socket without sleeping (what a PXE ROM does with its NIC, and
 * what no server would do: it costs a whole cpu), so no wake-up is paid; SPIN 0: they block in
 * recv, as a server's event loop and a client's kernel do. No retransmission: on the namespaces'
 * veth nothing is lost, and a lost datagram stops the run at its 5 s receive timeout, said so.
 * Nothing here is Diskless: it is the floor any program would meet on this host.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) {
    perror(what);
    exit(2);
}

static struct sockaddr_in address(const char *ip, const char *port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t) atoi(port));
    if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) {
        fprintf(stderr, "not an IPv4 address: %s\n", ip);
        exit(2);
    }
    return a;
}

static int udp_socket(int spin) {
    int s = socket(AF_INET, SOCK_DGRAM | (spin ? SOCK_NONBLOCK : 0), 0);
    if (s < 0) die("socket");
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct timeval five = {5, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five);
    return s;
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* One datagram, polling when spinning; -1 after 5 s without one. */
static ssize_t receive(int s, void *buffer, size_t size, struct sockaddr_in *from, int spin) {
    socklen_t length = sizeof *from;
    if (!spin) {
        return recvfrom(s, buffer, size, 0, (struct sockaddr *) from, &length);
    }
    double give_up = now_seconds() + 5;
    for (;;) {
        ssize_t n = recvfrom(s, buffer, size, 0, (struct sockaddr *) from, &length);
        if (n >= 0 || errno != EAGAIN) return n;
        if (now_seconds() > give_up) return -1;
    }
}

static int master(char **argv) {
    struct sockaddr_in group = address(argv[0], argv[1]);
    struct sockaddr_in server = address(argv[2], argv[3]);
    int spin = atoi(argv[5]);
    int s = udp_socket(spin);
    if (bind(s, (struct sockaddr *) &group, sizeof group) < 0) die("bind group");
    struct ip_mreq join;
    join.imr_multiaddr = group.sin_addr;
    if (inet_pton(AF_INET, argv[4], &join.imr_interface) != 1) die("interface address");
    if (setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) < 0) die("join");
    int acks = socket(AF_INET, SOCK_DGRAM, 0);
    if (acks < 0) die("socket");
    if (sendto(acks, "open", 4, 0, (struct sockaddr *) &server, sizeof server) < 0) die("open");
    char block[65536];
    struct sockaddr_in from;
    for (;;) {
        ssize_t n = receive(s, block, sizeof block, &from, spin);
        if (n < 0) {
            fprintf(stderr, "master: no block for 5 s\n");
            return 1;
        }
        if (n < 4) return 0;
        if (sendto(acks, block, 4, 0, (struct sockaddr *) &from, sizeof from) < 0) die("ack");
    }
}

static int sender(char **argv) {
    struct sockaddr_in group = address(argv[0], argv[1]);
    struct sockaddr_in local = address("0.0.0.0", argv[2]);
    long blocks = atol(argv[3]);
    int size = atoi(argv[4]);
    int spin = atoi(argv[5]);
    if (blocks < 1 || size < 4 || size > 65000) {
        fprintf(stderr, "sender: blocks >= 1 and 4 <= size <= 65000\n");
        return 2;
    }
    int s = udp_socket(spin);
    if (bind(s, (struct sockaddr *) &local, sizeof local) < 0) die("bind");
    unsigned char ttl = 1;
    setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
    unsigned char loop = 0;
    setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop);
    char buffer[65536];
    memset(buffer, 'x', sizeof buffer);
    struct sockaddr_in from;
    /* The open: blocking, however long the master takes to start. */
    socklen_t length = sizeof from;
    struct timeval none = {0, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
    for (;;) {
        ssize_t n = recvfrom(s, buffer, sizeof buffer, 0, (struct sockaddr *) &from, &length);
        if (n >= 0) break;
        if (errno != EAGAIN && errno != EINTR) die("open");
        usleep(1000);
    }
    double start = now_seconds();
    for (long b = 1; b <= blocks; b++) {
        uint32_t number = htonl((uint32_t) b);
        memcpy(buffer, &number, 4);
        if (sendto(s, buffer, (size_t) size, 0, (struct sockaddr *) &group, sizeof group) < 0) die("block");
        ssize_t n = receive(s, buffer + 4, 64, &from, spin);
        if (n < 0) {
            fprintf(stderr, "sender: no ACK of block %ld for 5 s\n", b);
            return 1;
        }
    }
    double seconds = now_seconds() - start;
    sendto(s, "", 0, 0, (struct sockaddr *) &group, sizeof group);
    printf("%ld %.3f %.1f\n", blocks, seconds, seconds / blocks * 1e6);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 8 && strcmp(argv[1], "master") == 0) return master(argv + 2);
    if (argc == 8 && strcmp(argv[1], "sender") == 0) return sender(argv + 2);
    fprintf(stderr, "usage: lockstep master GROUP PORT SERVER SERVER_PORT IFADDR SPIN\n"
                    "       lockstep sender GROUP PORT BIND_PORT BLOCKS BLOCK_SIZE SPIN\n");
    return 2;
}
