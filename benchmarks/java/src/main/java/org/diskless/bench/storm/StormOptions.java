package org.diskless.bench.storm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The generator's command line: {@code --name value} pairs.
 *
 * <pre>
 * --nodes N            simulated PXE ROMs (required)
 * --root DIR           the boot root the server serves, to check every block against (required)
 * --pool A.B.C.D/LEN   the addresses the client namespace can bind: every lease must be in it (required)
 * --interface NAME     the client namespace's interface to the server, where MTFTP groups are joined
 * --config NAME        the loader's configuration file (pxelinux.cfg/default)
 * --blksize N          the blksize the ROM asks for unicast TFTP (1432, iPXE's)
 * --tftp-port N        the server's TFTP port (69)
 * --run N              0-255, part of every node's MAC, so that runs against one server are new clients (0)
 * --spread SECONDS     node i of N powers on at SECONDS * i / N after the first (0: all at once)
 * --max-seconds S      the run is cut here; nodes still busy count as unfinished (900)
 * </pre>
 */
record StormOptions(int nodes, Path root, Pool pool, String bootInterface, String configName, int blockSize,
                    int tftpPort, int run, double spreadSeconds, double maxSeconds) {

    private static final Set<String> NAMES = Set.of("nodes", "root", "pool", "interface", "config", "blksize",
            "tftp-port", "run", "spread", "max-seconds");

    /** An IPv4 prefix. */
    record Pool(int network, int length) implements Rom.Pool {

        static Pool parse(String cidr) {
            String[] parts = cidr.split("/", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("--pool wants A.B.C.D/LEN, not " + cidr);
            }
            int length = Integer.parseInt(parts[1]);
            if (length < 8 || length > 32) {
                throw new IllegalArgumentException("--pool prefix length must be 8-32: " + cidr);
            }
            try {
                InetAddress address = InetAddress.getByName(parts[0]);
                if (!(address instanceof Inet4Address)) {
                    throw new IllegalArgumentException("--pool wants an IPv4 prefix: " + cidr);
                }
                return new Pool(toInt(address.getAddress()) & mask(length), length);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--pool: " + e.getMessage(), e);
            }
        }

        @Override
        public boolean contains(Inet4Address address) {
            return (toInt(address.getAddress()) & mask(length)) == network;
        }

        private static int mask(int length) {
            return length == 0 ? 0 : -1 << (32 - length);
        }

        private static int toInt(byte[] a) {
            return (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | a[3] & 0xff;
        }
    }

    static StormOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!NAMES.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
            }
            values.put(name, args[i + 1]);
        }
        for (String required : new String[] {"nodes", "root", "pool"}) {
            if (!values.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        StormOptions options = new StormOptions(
                Integer.parseInt(values.get("nodes")),
                Path.of(values.get("root")),
                Pool.parse(values.get("pool")),
                values.get("interface"),
                values.getOrDefault("config", "pxelinux.cfg/default"),
                Integer.parseInt(values.getOrDefault("blksize", "1432")),
                Integer.parseInt(values.getOrDefault("tftp-port", "69")),
                Integer.parseInt(values.getOrDefault("run", "0")),
                Double.parseDouble(values.getOrDefault("spread", "0")),
                Double.parseDouble(values.getOrDefault("max-seconds", "900")));
        if (options.nodes() < 1 || options.nodes() > 0xffff) {
            throw new IllegalArgumentException("--nodes must be 1-65535");
        }
        if (options.run() < 0 || options.run() > 255) {
            throw new IllegalArgumentException("--run must be 0-255");
        }
        if (options.blockSize() < 8 || options.blockSize() > 65464) {
            throw new IllegalArgumentException("--blksize must be 8-65464");
        }
        if (options.spreadSeconds() < 0 || options.maxSeconds() <= 0) {
            throw new IllegalArgumentException("--spread must be >= 0 and --max-seconds > 0");
        }
        return options;
    }
}
