package org.diskless.nfsroot.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootContext;
import org.diskless.api.files.BootFile;
import org.diskless.api.files.BootFileContent;
import org.diskless.api.files.BootFileException;
import org.diskless.api.files.BootFileResolver;
import org.diskless.api.files.BootFileUpload;
import org.diskless.api.network.BootNetwork;
import org.diskless.api.nodes.Node;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * A boot server on disk for the tests: a folder standing for this host's root (exports, NFS roots,
 * the boot root), the boot network 192.0.2.0/24 with this server at .1, and the pxelinux and iPXE
 * loaders. Every path it prints starts with the folder, which {@link #shown} writes as {@code ${ROOT}}.
 */
final class Lab {

    static final BootNetwork LAN = BootNetwork.builder("lan", ipv4("192.0.2.0"), 24).serverAddress(ipv4("192.0.2.1"))
            .routers(List.of(ipv4("192.0.2.254"))).build();

    final Path root;
    final Path tftpboot;
    final Map<String, Object> settings = new HashMap<>();
    final List<Node> nodes = new ArrayList<>();
    List<BootNetwork> networks = List.of(LAN);
    List<LoaderView> loaders = List.of(LoaderView.pxelinux(Map.of("device", "eth0")), LoaderView.ipxe(Map.of()));
    boolean bootFilesRunning = true;

    Lab(Path root) {
        this.root = root;
        this.tftpboot = root.resolve("srv/tftp");
        settings.put("rootPattern", root + "/export/root/{node}");
        settings.put("sharedRoot", root + "/export/shared/{group}");
        settings.put("overlayPattern", root + "/export/overlay/{node}");
        settings.put("exportsFile", root + "/etc/exports");
        settings.put("exportsDirectory", root + "/etc/exports.d");
        mkdirs("etc", "srv/tftp");
    }

    Path path(String relative) {
        return root.resolve(relative);
    }

    /** A root with a system in it (an /etc). */
    Lab system(String relative) {
        mkdirs(relative + "/etc");
        return this;
    }

    Lab mkdirs(String... relatives) {
        for (String relative : relatives) {
            try {
                Files.createDirectories(root.resolve(relative));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return this;
    }

    Lab file(String relative, byte[] content) {
        try {
            Files.createDirectories(root.resolve(relative).getParent());
            Files.write(root.resolve(relative), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A file under the boot root. */
    Lab bootFile(String relative, int size) {
        return file("srv/tftp/" + relative, new byte[size]);
    }

    /** The exports file, with {@code ${ROOT}} standing for the folder. */
    Lab exports(String text) {
        return file("etc/exports", text.replace("${ROOT}", root.toString()).getBytes(UTF_8));
    }

    Lab node(Node node) {
        nodes.add(node);
        return this;
    }

    static Node.Builder node(String name, String mac) {
        return Node.builder(name, HardwareAddress.parse(mac)).bootFile("kernel", "images/vmlinuz");
    }

    /** An NFS-root node of the lab's root folder ({@code nfsroot} under it). */
    Node.Builder nfsNode(String name, String mac, String address) {
        Node.Builder builder = node(name, mac).bootFile("nfsroot", root + "/export/root/" + name);
        return address == null ? builder : builder.address(ipv4(address));
    }

    NfsRootSettings settings() {
        try {
            return NfsRootSettings.parse(Config.of(settings));
        } catch (InvalidSettingException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    Inventory inventory() {
        NfsRootSettings parsed = settings();
        return new Inventory(parsed, nodes, networks, loaders,
                ExportTable.read(parsed.exportsFile(), parsed.exportsDirectory()),
                bootFilesRunning ? Optional.of(bootFiles()) : Optional.empty());
    }

    Analyzer analyzer() {
        return new Analyzer(inventory());
    }

    NodeReport report(String name) {
        return analyzer().report(nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow());
    }

    /** What the tests compare: the folder's path written as {@code ${ROOT}}. */
    String shown(String text) {
        return text.replace(root.toString(), "${ROOT}");
    }

    /** The boot root as the files service serves it, without its jail and generated files. */
    BootFileResolver bootFiles() {
        return new BootFileResolver() {
            @Override
            public BootFile resolve(String path, BootContext context) throws BootFileException {
                String normalized = path.replaceFirst("^/+", "");
                Path file = tftpboot.resolve(normalized);
                long size;
                try {
                    size = Files.size(file);
                } catch (NoSuchFileException e) {
                    throw new BootFileException(BootFileException.Reason.NOT_FOUND, "'" + normalized + "' not found");
                } catch (IOException e) {
                    throw new BootFileException(BootFileException.Reason.IO_ERROR, e.getMessage());
                }
                return new BootFile() {
                    @Override
                    public String path() {
                        return normalized;
                    }

                    @Override
                    public long size() {
                        return size;
                    }

                    @Override
                    public boolean generated() {
                        return false;
                    }

                    @Override
                    public BootFileContent open() throws IOException {
                        FileChannel channel = FileChannel.open(file);
                        return new BootFileContent() {
                            @Override
                            public long size() {
                                return size;
                            }

                            @Override
                            public int read(ByteBuffer dst, long position) throws IOException {
                                return channel.read(dst, position);
                            }

                            @Override
                            public void close() throws IOException {
                                channel.close();
                            }
                        };
                    }
                };
            }

            @Override
            public BootFileUpload createUpload(String path, BootContext context, boolean replace) {
                throw new UnsupportedOperationException();
            }
        };
    }

    static Inet4Address ipv4(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
