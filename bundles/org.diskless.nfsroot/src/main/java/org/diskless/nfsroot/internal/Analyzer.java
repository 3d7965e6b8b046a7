package org.diskless.nfsroot.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.network.BootNetwork;
import org.diskless.api.nodes.BootRole;
import org.diskless.api.nodes.Node;
import org.diskless.nfsroot.internal.NfsRootSettings.Mode;
import org.diskless.nfsroot.internal.NodeReport.Boot;
import org.diskless.nfsroot.internal.NodeReport.Directory;
import org.diskless.nfsroot.internal.NodeReport.ExportLine;
import org.diskless.nfsroot.internal.NodeReport.Line;
import org.diskless.support.kernel.KernelCommandLine;
import org.diskless.support.kernel.RamDiskImage;

/**
 * Looks at each node as its boot will: the root its kernel mounts and where that lives on this
 * host, who may mount it, the command line each running loader writes, and the files it fetches.
 * Every problem names what to fix; what cannot be decided without a lookup says so.
 */
final class Analyzer {

    /** What an exports line gives a node's own root or overlay, which it writes into as root. */
    static final String WRITABLE_OPTIONS = "rw,no_root_squash,sync,no_subtree_check";
    /** What an exports line gives a root nodes share: read as root, written by none. */
    static final String SHARED_OPTIONS = "ro,no_root_squash,sync,no_subtree_check";

    /** Stands for the address a node without a fixed one asks from, to count its ip= at its longest. */
    private static final Inet4Address LONGEST_ADDRESS = (Inet4Address) address(new byte[] {-1, -1, -1, -1});

    private final Inventory inventory;

    Analyzer(Inventory inventory) {
        this.inventory = inventory;
    }

    /** Lines about the whole setup rather than one node: exports files, missing services. */
    List<String> general() {
        List<String> lines = new ArrayList<>();
        lines.addAll(inventory.exports().notes());
        if (inventory.bootFiles().isEmpty()) {
            lines.add("the boot file service is not running (feature diskless-files): kernels and images are not checked");
        }
        if (inventory.loaders().isEmpty()) {
            lines.add("neither the pxelinux nor the iPXE loader is running (features diskless-loader-pxelinux,"
                    + " diskless-loader-ipxe): no node gets a generated kernel command line");
        }
        return lines;
    }

    List<NodeReport> reports() {
        return inventory.nodes().stream().map(this::report).toList();
    }

    NodeReport report(Node node) {
        return new NodeAnalysis(node).run();
    }

    /** The analysis of one node, collecting as it goes. */
    private final class NodeAnalysis {
        private final Node node;
        private final Optional<Inet4Address> address;
        private final Optional<BootNetwork> network;
        private final BootContext context;
        private final List<Directory> directories = new ArrayList<>();
        private final List<ExportLine> exports = new ArrayList<>();
        private final List<Line> lines = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        NodeAnalysis(Node node) {
            this.node = node;
            this.address = node.address().filter(Inet4Address.class::isInstance).map(Inet4Address.class::cast);
            this.network = address.flatMap(inventory::networkOf);
            this.context = BootContext.of(BootProtocol.NFS, new InetSocketAddress(
                    address.map(InetAddress.class::cast).orElse(address(new byte[4])), 0)).withNode(node);
        }

        NodeReport run() {
            Optional<String> kernel = role(BootRole.KERNEL);
            Optional<NfsRoot> nfsroot = role(BootRole.NFSROOT).map(NfsRoot::parse);
            Optional<String> initrd = role(BootRole.INITRD);
            if (kernel.isEmpty()) {
                if (nfsroot.isEmpty() && initrd.isEmpty()) {
                    return report(Boot.NONE, Optional.empty());
                }
                problems.add("has " + (nfsroot.isPresent() ? "an nfsroot" : "an initrd") + " boot file but no kernel:"
                        + " the loaders write no config for it; add one (nodes:add --boot kernel=<path>)");
            }
            Boot boot = nfsroot.map(root -> root.server().filter(server -> !isOurs(server)).isPresent()
                    ? Boot.NFS_ELSEWHERE : Boot.NFS).orElse(initrd.isPresent() ? Boot.RAM_DISK : Boot.KERNEL_ONLY);
            kernel.ifPresent(path -> commandLines(path, boot));
            kernel.ifPresent(path -> bootFile("kernel", path));
            initrd.ifPresent(path -> bootFile("initrd", path));
            if (boot == Boot.RAM_DISK) {
                ramDiskSize(initrd.get());
            }
            if (boot == Boot.NFS) {
                nfsRoot(nfsroot.get());
            }
            return report(boot, nfsroot.flatMap(NfsRoot::server).filter(server -> boot == Boot.NFS_ELSEWHERE));
        }

        private NodeReport report(Boot boot, Optional<String> elsewhere) {
            return new NodeReport(node, boot, elsewhere, directories, exports, lines, problems, warnings);
        }

        // ------------------------------------------------------------ command lines

        private void commandLines(String kernel, Boot boot) {
            for (LoaderView loader : inventory.loaders()) {
                Function<String, OptionalLong> sizes = RamDiskImage.sizes(inventory.bootFiles().orElse(null), context,
                        loader.inBootRoot());
                KernelCommandLine shown;
                KernelCommandLine longest;
                try {
                    shown = loader.commandLine(node, address, network, sizes);
                    // A node without a fixed address gets ip= with the address it asks from: count the longest.
                    longest = address.isPresent() ? shown : loader.commandLine(node, Optional.of(LONGEST_ADDRESS),
                            inventory.networks().size() == 1 ? Optional.of(inventory.networks().get(0)) : Optional.empty(),
                            sizes);
                } catch (IllegalArgumentException e) {
                    problems.add("its boot files cannot go into a kernel command line: " + e.getMessage()
                            + "; fix them (nodes:add --boot)");
                    return;
                }
                Optional<String> note = address.isEmpty() && loader.name().equals(LoaderView.PXELINUX)
                        && !shown.configuresNetwork() ? Optional.of("pxelinux adds ip= with the address the node"
                        + " asks from") : Optional.empty();
                lines.add(new Line(loader.label(), Optional.of(shown.text()), note));
                int excess = loader.excess(longest, kernel);
                if (excess > 0) {
                    problems.add("the kernel command line " + loader.label() + " writes is " + excess
                            + " characters over the " + LoaderView.X86_COMMAND_LINE + " an x86 kernel gets (counting '"
                            + loader.prefix(kernel).trim() + " ' in front" + (longest.longestLength() > longest.text().length()
                            ? " and " + loader.label() + "'s settings at their longest" : "") + "); the rest would be"
                            + " cut off: shorten the node's append or the loader's");
                }
            }
        }

        // ------------------------------------------------------------ boot files

        private void bootFile(String role, String path) {
            BootFileResolver resolver = inventory.bootFiles().orElse(null);
            if (resolver == null) {
                return;
            }
            Map<String, List<String>> loadersByPath = new LinkedHashMap<>();
            for (LoaderView loader : inventory.loaders()) {
                loadersByPath.computeIfAbsent(loader.inBootRoot().apply(path), p -> new ArrayList<>()).add(loader.label());
            }
            loadersByPath.forEach((inRoot, loaders) -> {
                try {
                    resolver.resolve(inRoot, context);
                } catch (BootFileException e) {
                    problems.add("its " + role + " " + inRoot + " (as " + String.join(" and ", loaders) + " fetch"
                            + (loaders.size() == 1 ? "es" : "") + " it) cannot be served: "
                            + ExportTable.shown(e.getMessage()) + "; put it in the boot root or fix its " + role
                            + " boot file");
                }
            });
        }

        private void ramDiskSize(String initrd) {
            BootFileResolver resolver = inventory.bootFiles().orElse(null);
            if (resolver == null) {
                return;
            }
            Map<String, List<LoaderView>> loadersByPath = inventory.loaders().stream().collect(Collectors.groupingBy(
                    loader -> loader.inBootRoot().apply(initrd), LinkedHashMap::new, Collectors.toList()));
            for (Map.Entry<String, List<LoaderView>> byPath : loadersByPath.entrySet()) {
                RamDiskImage image;
                try {
                    image = RamDiskImage.of(resolver.resolve(byPath.getKey(), context));
                } catch (BootFileException | IOException e) {
                    continue; // bootFile() said so
                }
                KernelCommandLine line;
                try {
                    line = byPath.getValue().get(0).commandLine(node, address, network, p -> OptionalLong.empty());
                } catch (IllegalArgumentException e) {
                    continue; // commandLines() said so
                }
                ramDiskSize(byPath.getKey(), image, line);
            }
        }

        private void ramDiskSize(String path, RamDiskImage image, KernelCommandLine line) {
            if (image.initramfs()) {
                return; // unpacked into the kernel's own root: no RAM disk, whatever its size
            }
            long needed = KernelCommandLine.kibibytes(image.bytes());
            String what = image.uncompressedBytes().isPresent()
                    ? (image.compression() == RamDiskImage.Compression.NONE ? "" : " uncompressed")
                    : ", at least: it is " + image.compression().name().toLowerCase(java.util.Locale.ROOT)
                            + "-compressed, which does not record its size";
            if (line.ramdiskSizeByOperator()) {
                if (line.ramdiskSize().isEmpty()) {
                    problems.add("its append sets a ramdisk_size that is no number of KiB (the kernel reads KiB:"
                            + " ramdisk_size=" + needed + " for its image " + path + ")");
                } else if (line.ramdiskSize().getAsLong() < needed) {
                    problems.add("its ramdisk_size=" + line.ramdiskSize().getAsLong() + " is smaller than its image "
                            + path + " (" + needed + " KiB" + what + "): raise it, or drop it to have it sized from"
                            + " the image");
                }
            } else if (image.uncompressedBytes().isEmpty()) {
                problems.add("cannot tell whether its RAM disk is large enough: its image " + path + " is "
                        + image.compression().name().toLowerCase(java.util.Locale.ROOT) + "-compressed, so ramdisk_size="
                        + needed + " counts the file, not what it decompresses to; if it is a disk image, set"
                        + " ramdisk_size=<KiB> in its append (an initramfs needs none)");
            }
        }

        // ------------------------------------------------------------ the NFS root

        private void nfsRoot(NfsRoot root) {
            NfsRootSettings settings = inventory.settings();
            boolean shared = settings.mode() == Mode.SHARED;
            PathPattern layout = shared ? settings.sharedRoot() : settings.rootPattern();
            PathPattern.Result planned = layout.apply(node);
            planned.refusal().ifPresent(why -> problems.add(why));
            planned.path().filter(path -> !ExportTable.canonical(path).equals(ExportTable.canonical(root.path())))
                    .ifPresent(path -> warnings.add("mounts " + root.path() + " (its nfsroot boot file), but its root"
                            + " in the " + settings.mode() + " layout is " + path + " (" + (shared ? "sharedRoot"
                            : "rootPattern") + "): set --boot nfsroot=" + path + ", or change the pattern"));
            directories.add(new Directory(shared ? "shared root" : "root", root.path(), !shared));
            if (shared) {
                PathPattern.Result overlay = settings.overlayPattern().apply(node);
                overlay.refusal().ifPresent(why -> problems.add(why));
                overlay.path().ifPresent(path -> directories.add(new Directory("overlay", path, true)));
            }
            for (Directory directory : directories) {
                checkDirectory(directory);
            }
            if (address.isPresent() && network.isEmpty() && root.server().isEmpty()
                    && inventory.loaders().stream().anyMatch(l -> l.name().equals(LoaderView.PXELINUX))) {
                problems.add("its address " + address.get().getHostAddress() + " is in no DHCP subnet, so pxelinux's ip="
                        + " gets no server, gateway or netmask and nfsroot= names no server: configure its subnet"
                        + " (etc/org.diskless.dhcp.subnet-<name>.cfg) or write the server into its nfsroot boot file");
            }
            List<String> clients = clients();
            for (Directory directory : directories) {
                for (String client : clients) {
                    exports.add(new ExportLine(directory.path(), client, directory.writable() ? WRITABLE_OPTIONS
                            : SHARED_OPTIONS));
                }
                checkExports(directory);
            }
        }

        private void checkDirectory(Directory directory) {
            Path path = Path.of(directory.path());
            if (!Files.exists(path)) {
                problems.add("its " + directory.role() + " " + directory.path() + " does not exist: create it"
                        + (directory.role().equals("overlay") ? "" : " and install the node's system into it"));
            } else if (!Files.isDirectory(path)) {
                problems.add("its " + directory.role() + " " + directory.path() + " is not a directory");
            } else if (!directory.role().equals("overlay") && isEmpty(path)) {
                problems.add("its " + directory.role() + " " + directory.path() + " is empty: install the node's"
                        + " system into it (debootstrap, or a copy of a node's root)");
            }
        }

        /** The clients its exports name: its fixed address, else every boot network (its lease may come from any). */
        private List<String> clients() {
            if (address.isPresent()) {
                return List.of(address.get().getHostAddress());
            }
            if (inventory.networks().isEmpty()) {
                problems.add("has no fixed address and no DHCP subnet is configured: no exports line can name it, and"
                        + " pxelinux's ip= gets no server, gateway or netmask; give it an address (nodes:add --address)"
                        + " or configure its subnet (etc/org.diskless.dhcp.subnet-<name>.cfg)");
                return List.of();
            }
            warnings.add("has no fixed address: its exports name every boot network ("
                    + inventory.networks().stream().map(BootNetwork::cidr).collect(Collectors.joining(", "))
                    + "), since its lease may come from any; give it an address to name it alone");
            return inventory.networks().stream().map(BootNetwork::cidr).toList();
        }

        private void checkExports(Directory directory) {
            String line = directory.path() + " " + exports.stream().filter(e -> e.path().equals(directory.path()))
                    .map(ExportLine::clientText).collect(Collectors.joining(" "));
            ExportTable table = inventory.exports();
            if (address.isPresent()) {
                verdict(directory, table.lookup(directory.path(), address.get()), address.get().getHostAddress(), line);
                if (directory.writable()) {
                    tooWide(directory, address.get());
                }
            } else {
                for (BootNetwork subnet : inventory.networks()) {
                    verdict(directory, table.lookup(directory.path(), subnet), "its subnet " + subnet.cidr(), line);
                }
            }
        }

        private void verdict(Directory directory, ExportVerdict verdict, String client, String line) {
            String what = "its " + directory.role() + " " + directory.path();
            if (verdict instanceof ExportVerdict.Exported exported) {
                ExportEntry entry = exported.entry();
                if (!entry.options().sysAllowed() || !entry.options().perFlavor()) {
                    entry.options().refusal(directory.writable()).ifPresent(why -> problems.add(what + ": "
                            + entry.source() + " exports " + ExportTable.shown(entry.path()) + " to "
                            + ExportTable.shown(entry.clientText()) + ", which " + why));
                } else {
                    problems.add("cannot tell whether it may mount " + what + ": " + entry.source() + " gives "
                            + ExportTable.shown(entry.clientText()) + " options per security flavor (sec=), which"
                            + " this check does not read");
                }
            } else if (verdict instanceof ExportVerdict.Undecided undecided) {
                problems.add("cannot tell whether it may mount " + what + ": " + undecided.undecided().stream()
                        .map(e -> e.source() + " names " + ExportTable.shown(e.client().toString()) + " ("
                                + e.client().whyUnknown() + ")")
                        .collect(Collectors.joining("; ")) + (undecided.fallback().isPresent() ? "; if none of these is "
                        + client + ", " + undecided.fallback().get().source() + " ("
                        + ExportTable.shown(undecided.fallback().get().clientText()) + ") counts" : "")
                        + "; name it by address to be sure: " + line);
            } else if (verdict instanceof ExportVerdict.NotExported notExported) {
                String others = notExported.toOthers().stream().map(e -> ExportTable.shown(e.clientText()) + " ("
                        + e.source() + ")").collect(Collectors.joining(", "));
                problems.add(what + " is not exported to " + client + (others.isEmpty() ? "" : ", only to " + others)
                        + "; add to the exports: " + line);
            }
        }

        /** A root it writes as root that others may mount too: they could write it as root as well. */
        private void tooWide(Directory directory, Inet4Address node) {
            for (ExportEntry entry : inventory.exports().covering(directory.path())) {
                if (entry.client().admitsOthersThan(node) && entry.options().sysAllowed() && !entry.options().readOnly()
                        && !entry.options().rootSquash() && !entry.options().allSquash()) {
                    warnings.add("its " + directory.role() + " " + directory.path() + " is exported read-write without"
                            + " root squashing to " + ExportTable.shown(entry.client().toString()) + " ("
                            + entry.source() + "): every host there may write it as root; name the node alone");
                }
            }
        }

        // ------------------------------------------------------------ small helpers

        private Optional<String> role(String role) {
            return Optional.ofNullable(node.bootFiles().get(role)).map(String::trim).filter(v -> !v.isEmpty());
        }

        private boolean isOurs(String server) {
            return inventory.networks().stream().flatMap(n -> n.serverAddress().stream())
                    .anyMatch(a -> a.getHostAddress().equals(server));
        }
    }

    private static boolean isEmpty(Path directory) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            return false; // unreadable here is not empty; the NFS server may read it
        }
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("four bytes are an IPv4 address", e);
        }
    }

    /** A node's nfsroot boot file, {@code [server:]/path[,options]}. */
    record NfsRoot(Optional<String> server, String path) {

        static NfsRoot parse(String value) {
            int colon = value.indexOf(':');
            int slash = value.indexOf('/');
            Optional<String> server = colon >= 0 && (slash < 0 || colon < slash)
                    ? Optional.of(value.substring(0, colon)) : Optional.empty();
            String rest = server.isPresent() ? value.substring(colon + 1) : value;
            int comma = rest.indexOf(',');
            return new NfsRoot(server, comma < 0 ? rest : rest.substring(0, comma));
        }
    }
}
