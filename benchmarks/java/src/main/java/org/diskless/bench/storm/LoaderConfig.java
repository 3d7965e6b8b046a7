package org.diskless.bench.storm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration file the simulated boot loader fetches after itself, in pxelinux's words:
 * {@code KERNEL name} and {@code INITRD name} are the files it then fetches, in that order. A line
 * {@code MTFTP name group clientPort serverPort openTimeout reopenDelay} says that a file is
 * served by PXE MTFTP on that channel, as a loader that downloads through the PXE ROM's MTFTP must
 * be told (the ROM learns the channel of its own boot file from DHCP option 43; nothing tells a
 * loader those of the files after it). {@code #} starts a comment; keywords are case-insensitive.
 */
final class LoaderConfig {

    private final List<String> files;
    private final Map<String, MtftpChannel> channels;

    private LoaderConfig(List<String> files, Map<String, MtftpChannel> channels) {
        this.files = List.copyOf(files);
        this.channels = Map.copyOf(channels);
    }

    static LoaderConfig parse(byte[] content) {
        List<String> kernel = new ArrayList<>();
        List<String> initrd = new ArrayList<>();
        Map<String, MtftpChannel> channels = new HashMap<>();
        int number = 0;
        for (String line : new String(content, StandardCharsets.US_ASCII).split("\n")) {
            number++;
            String[] words = line.replaceFirst("#.*", "").trim().split("\\s+");
            if (words[0].isEmpty()) {
                continue;
            }
            switch (words[0].toUpperCase(Locale.ROOT)) {
                case "KERNEL" -> kernel.add(argument(words, number));
                case "INITRD" -> initrd.add(argument(words, number));
                case "MTFTP" -> channels.put(argument(words, number), channel(words, number));
                default -> throw new IllegalArgumentException("line " + number + ": unknown keyword " + words[0]);
            }
        }
        List<String> files = new ArrayList<>(kernel);
        files.addAll(initrd);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no KERNEL or INITRD line");
        }
        return new LoaderConfig(files, channels);
    }

    /** The files to fetch, in order. */
    List<String> files() {
        return files;
    }

    /** The MTFTP channel of {@code file}, or empty when it is fetched by unicast TFTP. */
    Optional<MtftpChannel> channel(String file) {
        return Optional.ofNullable(channels.get(file));
    }

    private static String argument(String[] words, int line) {
        if (words.length < 2) {
            throw new IllegalArgumentException("line " + line + ": " + words[0] + " names no file");
        }
        return words[1];
    }

    private static MtftpChannel channel(String[] words, int line) {
        if (words.length != 7) {
            throw new IllegalArgumentException("line " + line
                    + ": MTFTP takes file, group, client port, server port, open timeout and reopen delay");
        }
        try {
            InetAddress group = InetAddress.getByName(words[2]);
            if (!(group instanceof Inet4Address v4) || !group.isMulticastAddress()) {
                throw new IllegalArgumentException("line " + line + ": " + words[2] + " is not an IPv4 multicast group");
            }
            return new MtftpChannel(v4, Integer.parseInt(words[3]), Integer.parseInt(words[4]),
                    Integer.parseInt(words[5]), Integer.parseInt(words[6]));
        } catch (NumberFormatException | UnknownHostException e) {
            throw new IllegalArgumentException("line " + line + ": " + e.getMessage(), e);
        }
    }
}
