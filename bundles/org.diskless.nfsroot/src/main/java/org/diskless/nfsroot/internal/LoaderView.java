package org.diskless.nfsroot.internal;

import java.net.Inet4Address;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.diskless.api.network.BootNetwork;
import org.diskless.api.nodes.Node;
import org.diskless.support.config.Config;
import org.diskless.support.kernel.KernelCommandLine;
import org.diskless.support.kernel.LoaderPaths;
import org.diskless.support.kernel.NetworkValues;

/**
 * A boot loader as the hints see it: where it takes a node's files from, the kernel command line
 * it writes for the node (the shared rules, with the loader's own {@code device} and
 * {@code append}, read from its configuration), and how long a line it hands the kernel whole.
 *
 * <p>Both loaders run x86 kernels, whose boot header allows 2047 characters (COMMAND_LINE_SIZE 2048,
 * less the terminating NUL; boot protocol 2.06 and later). Both copy the line into a buffer of that
 * size with its NUL, so the kernel gets at most {@value #X86_COMMAND_LINE} characters, and the
 * rest is cut off without a word:
 * <ul>
 * <li>pxelinux (syslinux 6.04, Debian bookworm) puts {@code BOOT_IMAGE=<kernel> } in front of
 *     {@code APPEND};</li>
 * <li>iPXE passes the line as it is to a BIOS kernel, and puts the image name and a space in front
 *     on UEFI (the load options of an EFI-stub kernel); the name counts here, the stricter of the
 *     two. Its {@code ${…}} settings count at their longest, an IPv4 address.</li>
 * </ul>
 */
record LoaderView(String name, String label, String folder, String device, String append) {

    /** The characters an x86 kernel gets from pxelinux and iPXE: 2047 in the header, one of them the NUL. */
    static final int X86_COMMAND_LINE = 2046;

    static final String PXELINUX = "pxelinux";
    static final String IPXE = "ipxe";

    /** The pxelinux loader with its configuration ({@code bootFile}, {@code device}, {@code append}). */
    static LoaderView pxelinux(Map<String, ?> configuration) {
        Config config = Config.of(configuration);
        String bootFile = config.text("bootFile", "pxelinux.0").replaceFirst("^/+", "");
        return new LoaderView(PXELINUX, "pxelinux", LoaderPaths.folderOf(bootFile), config.text("device", ""),
                config.text("append", ""));
    }

    /** The iPXE loader with its configuration ({@code device}, {@code append}). */
    static LoaderView ipxe(Map<String, ?> configuration) {
        Config config = Config.of(configuration);
        return new LoaderView(IPXE, "iPXE", "", config.text("device", ""), config.text("append", ""));
    }

    /** Where in the boot root this loader fetches a boot file the node names. */
    UnaryOperator<String> inBootRoot() {
        return name.equals(PXELINUX) ? LoaderPaths.relativeTo(folder) : LoaderPaths.FROM_ROOT;
    }

    /**
     * The line this loader writes for the node: pxelinux with the client's address and its network
     * written out, iPXE with its own settings.
     */
    KernelCommandLine commandLine(Node node, Optional<Inet4Address> client, Optional<BootNetwork> network,
                                  Function<String, OptionalLong> imageSize) {
        KernelCommandLine.Builder builder = KernelCommandLine.forNode(node).device(device).append(append)
                .ramDiskImageSize(imageSize);
        if (name.equals(PXELINUX)) {
            return builder.network(NetworkValues.literal(client, network)).build();
        }
        return builder.network(NetworkValues.IPXE).initrdName(LoaderPaths::lastPart).build();
    }

    /** What the loader puts in front of the line for this kernel, which counts against the kernel's limit. */
    String prefix(String kernel) {
        return name.equals(PXELINUX) ? "BOOT_IMAGE=" + kernel + " " : LoaderPaths.lastPart(kernel) + " ";
    }

    /** Characters over the limit the kernel gets, 0 when the line fits. */
    int excess(KernelCommandLine line, String kernel) {
        return Math.max(0, prefix(kernel).length() + line.longestLength() - X86_COMMAND_LINE);
    }
}
