package org.diskless.support.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.diskless.api.nodes.BootRole;
import org.diskless.api.nodes.Node;

/**
 * A node's kernel command line, from its boot files: the one set of rules the pxelinux and iPXE
 * loaders write into the configs they generate and the NFS-root hints show and check.
 *
 * <p>In order:
 * <ol>
 * <li>{@code initrd=<image>} for a node with an {@code initrd} (the loader loads it; the kernel
 *     finds it by that name when it boots through an EFI stub);</li>
 * <li>the root: with an {@code nfsroot} ({@code [server:]/path[,options]}),
 *     {@code root=/dev/nfs nfsroot=server:/path[,options]}, the server from the loader's values when
 *     the boot file names none; else, with an {@code initrd}, a RAM-disk root
 *     {@code root=/dev/ram0 rw ramdisk_size=<KiB>}, the size the image's (rounded up to whole KiB)
 *     unless the operator's own arguments set one, and left out while the image cannot be measured;</li>
 * <li>{@code ip=client:server:gateway:netmask:hostname:device:off}, the kernel's static form
 *     (Documentation/admin-guide/nfs/nfsroot.rst), when the client's address is known to the loader
 *     (its host name only when it is one: letters, digits, {@code .}, {@code _}, {@code -});</li>
 * <li>the loader's arguments for every node, then the node's own ({@code append}): last, so that
 *     where the kernel takes the last of a repeated argument, the operator's wins.</li>
 * </ol>
 */
public final class KernelCommandLine {

    /** What the node's root file system is. */
    public enum Root {
        /** {@code root=/dev/nfs}. */
        NFS,
        /** {@code root=/dev/ram0}, made from the {@code initrd}. */
        RAM_DISK,
        /** Neither: the kernel takes its root from the operator's arguments or its own defaults. */
        UNSET
    }

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String RAMDISK_SIZE = "ramdisk_size=";

    private final List<String> arguments;
    private final int longestLength;
    private final Root root;
    private final OptionalLong ramdiskSize;
    private final boolean ramdiskSizeByOperator;

    private KernelCommandLine(List<String> arguments, int longestLength, Root root, OptionalLong ramdiskSize,
                              boolean ramdiskSizeByOperator) {
        this.arguments = List.copyOf(arguments);
        this.longestLength = longestLength;
        this.root = root;
        this.ramdiskSize = ramdiskSize;
        this.ramdiskSizeByOperator = ramdiskSizeByOperator;
    }

    /** A builder reading the node's {@code initrd}, {@code nfsroot} and {@code append} boot files. */
    public static Builder forNode(Node node) {
        return new Builder(node);
    }

    /** The arguments in order; an operator's {@code append} is one element, as written. */
    public List<String> arguments() {
        return arguments;
    }

    /** The line as the loader writes it. */
    public String text() {
        return String.join(" ", arguments);
    }

    /** The length of the line once the loader has expanded every variable in it to its longest. */
    public int longestLength() {
        return longestLength;
    }

    public Root root() {
        return root;
    }

    /**
     * The {@code ramdisk_size} the kernel gets, in KiB: the operator's (the last one in the
     * loader's or the node's arguments) or the image's; empty when the line sets none or the
     * operator's is not a number.
     */
    public OptionalLong ramdiskSize() {
        return ramdiskSize;
    }

    /** Whether the operator's own arguments set {@code ramdisk_size} (so none was computed). */
    public boolean ramdiskSizeByOperator() {
        return ramdiskSizeByOperator;
    }

    /** Whether the line configures the kernel's network itself ({@code ip=} or the older {@code nfsaddrs=}). */
    public boolean configuresNetwork() {
        return words().anyMatch(word -> word.startsWith("ip=") || word.startsWith("nfsaddrs="));
    }

    /** The value of {@code nfsroot=}, when the line mounts an NFS root. */
    public Optional<String> nfsroot() {
        return words().filter(word -> word.startsWith("nfsroot=")).reduce((first, last) -> last)
                .map(word -> word.substring("nfsroot=".length()));
    }

    /** Whole KiB holding {@code bytes}, rounded up: what {@code ramdisk_size} counts in. */
    public static long kibibytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size is not negative: " + bytes);
        }
        return bytes / 1024 + (bytes % 1024 == 0 ? 0 : 1);
    }

    private Stream<String> words() {
        return arguments.stream().flatMap(argument -> Arrays.stream(argument.trim().split("\\s+")));
    }

    @Override
    public String toString() {
        return text();
    }

    /** Collects what the loader knows beyond the node; {@link #build()} applies the rules. */
    public static final class Builder {
        private final Node node;
        private UnaryOperator<String> initrdName = UnaryOperator.identity();
        private NetworkValues network = NetworkValues.NONE;
        private String device = "";
        private String loaderAppend = "";
        private Function<String, OptionalLong> imageSize = path -> OptionalLong.empty();

        private Builder(Node node) {
            this.node = Objects.requireNonNull(node, "node");
        }

        /** How the loader names the image in {@code initrd=} (pxelinux: the path; iPXE: its last part). */
        public Builder initrdName(UnaryOperator<String> initrdName) {
            this.initrdName = Objects.requireNonNull(initrdName, "initrdName");
            return this;
        }

        public Builder network(NetworkValues network) {
            this.network = Objects.requireNonNull(network, "network");
            return this;
        }

        /** The network device of {@code ip=}, e.g. {@code eth0}; empty lets the kernel pick. */
        public Builder device(String device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /** The loader's arguments for every node, before the node's own. */
        public Builder append(String loaderAppend) {
            this.loaderAppend = Objects.requireNonNull(loaderAppend, "loaderAppend").trim();
            return this;
        }

        /**
         * How the loader measures the RAM-disk image ({@link RamDiskImage#sizes}), given the
         * {@code initrd} as the node's boot file names it: asked only for a RAM-disk root, and
         * only when the operator's arguments set no size; empty when it cannot be measured.
         */
        public Builder ramDiskImageSize(Function<String, OptionalLong> imageSize) {
            this.imageSize = Objects.requireNonNull(imageSize, "imageSize");
            return this;
        }

        /**
         * @throws IllegalArgumentException when a boot file or argument cannot be written into a
         *                                  kernel command line (a space in a path, a control character)
         */
        public KernelCommandLine build() {
            List<String> arguments = new ArrayList<>();
            int growth = 0;
            Optional<String> initrd = path(BootRole.INITRD);
            Optional<String> nfsroot = path(BootRole.NFSROOT);
            String nodeAppend = append("boot file role 'append'", node.bootFiles().getOrDefault(BootRole.APPEND, ""));
            String everyNode = append("the loader's append", loaderAppend);
            initrd.ifPresent(path -> arguments.add("initrd=" + initrdName.apply(path)));

            Root root = Root.UNSET;
            Optional<OptionalLong> operatorSize = operatorRamdiskSize(everyNode + " " + nodeAppend);
            boolean byOperator = operatorSize.isPresent();
            OptionalLong ramdiskSize = operatorSize.orElse(OptionalLong.empty());
            if (nfsroot.isPresent()) {
                root = Root.NFS;
                String value = nfsroot.get();
                if (!value.contains(":") && network.server().isPresent()) {
                    CommandLineValue server = network.server().get();
                    value = server.text() + ":" + value;
                    growth += server.growth();
                }
                arguments.add("root=/dev/nfs");
                arguments.add("nfsroot=" + value);
            } else if (initrd.isPresent()) {
                root = Root.RAM_DISK;
                arguments.add("root=/dev/ram0");
                arguments.add("rw");
                OptionalLong imageBytes = byOperator ? OptionalLong.empty() : imageSize.apply(initrd.get());
                if (imageBytes.isPresent() && imageBytes.getAsLong() > 0) {
                    ramdiskSize = OptionalLong.of(kibibytes(imageBytes.getAsLong()));
                    arguments.add(RAMDISK_SIZE + ramdiskSize.getAsLong());
                }
            }
            if (network.client().isPresent()) {
                List<Optional<CommandLineValue>> fields = List.of(network.client(), network.server(), network.gateway(),
                        network.netmask());
                StringBuilder ip = new StringBuilder("ip=");
                for (Optional<CommandLineValue> field : fields) {
                    ip.append(field.map(CommandLineValue::text).orElse("")).append(':');
                    growth += field.map(CommandLineValue::growth).orElse(0);
                }
                ip.append(SAFE_NAME.matcher(node.name()).matches() ? node.name() : "").append(':')
                        .append(device).append(":off");
                arguments.add(ip.toString());
            }
            if (!everyNode.isEmpty()) {
                arguments.add(everyNode);
            }
            if (!nodeAppend.isEmpty()) {
                arguments.add(nodeAppend);
            }
            int length = String.join(" ", arguments).length();
            return new KernelCommandLine(arguments, length + growth, root, ramdiskSize, byOperator);
        }

        private Optional<String> path(String role) {
            String value = node.bootFiles().get(role);
            if (value == null || value.isBlank()) {
                return Optional.empty();
            }
            String path = value.trim();
            if (path.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("boot file role '" + role + "' = '" + path
                        + "' has spaces or control characters, which a kernel command line cannot hold");
            }
            return Optional.of(path);
        }

        private static String append(String what, String value) {
            String text = value.trim();
            if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException(what + " holds a control character");
            }
            return text;
        }

        /**
         * The last {@code ramdisk_size=} of the operator's arguments, which the kernel takes: empty
         * when there is none, an empty size when it is no number.
         */
        private static Optional<OptionalLong> operatorRamdiskSize(String appended) {
            Optional<OptionalLong> found = Optional.empty();
            for (String word : appended.trim().split("\\s+")) {
                if (word.startsWith(RAMDISK_SIZE)) {
                    String digits = word.substring(RAMDISK_SIZE.length());
                    found = Optional.of(digits.matches("[0-9]{1,12}") ? OptionalLong.of(Long.parseLong(digits))
                            : OptionalLong.empty());
                }
            }
            return found;
        }
    }
}
