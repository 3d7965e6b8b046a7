package org.diskless.boot.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;

/**
 * Each client's last boot in a text file, so that a restart does not lose where every node stood.
 * The file holds the most recently active clients first and stops before {@code maxBytes}: the
 * least recently active are left out. Reading it back trusts nothing: a file longer than the bound,
 * of another format, cut short or with any line that does not read is refused whole
 * ({@link DamagedException}, naming the line), and every detail is capped and escaped again as if
 * it came from the network.
 *
 * <p>The format, one record a line, fields separated by tabs (a kept detail has its tabs escaped):
 * <pre>
 * diskless-boot-timelines 1
 * boot  client  started  omitted  files  bytes  failures  failureFrom  pastDiscovery  firstCount  latestCount
 * event time  protocol  kind  address  hardwareAddress|-  bytes  durationNanos  detail
 * …     (firstCount + latestCount events in all)
 * end   boots
 * </pre>
 * A client is {@code mac:<type>:<hex>} or {@code ip:<literal>}; times are ISO-8601 instants.
 */
final class SavedTimelines {

    static final String HEADER = "diskless-boot-timelines 1";

    /** A saved file that cannot be read back; the message says where and why. */
    static final class DamagedException extends Exception {
        private static final long serialVersionUID = 1L;

        DamagedException(String message) {
            super(message);
        }
    }

    private SavedTimelines() {
    }

    /** {@code boots}, most recently active first, as the file's text: as many as fit in {@code maxBytes}. */
    static String write(List<BootView> boots, long maxBytes) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        long length = HEADER.length() + 1;
        int written = 0;
        for (BootView boot : boots) {
            String record = record(boot);
            long recordLength = utf8Length(record);
            String end = "end\t" + (written + 1) + "\n";
            if (length + recordLength + end.length() > maxBytes) {
                break;
            }
            text.append(record);
            length += recordLength;
            written++;
        }
        return text.append("end\t").append(written).append('\n').toString();
    }

    private static String record(BootView boot) {
        StringBuilder line = new StringBuilder();
        line.append(String.join("\t", "boot", client(boot.client()), boot.started().toString(),
                Long.toString(boot.omitted()), Integer.toString(boot.files()), Long.toString(boot.bytes()),
                Integer.toString(boot.failures()), Long.toString(boot.failureFrom()),
                Boolean.toString(boot.pastDiscovery()), Integer.toString(boot.first().size()),
                Integer.toString(boot.latest().size()))).append('\n');
        for (BootEvent event : boot.first()) {
            event(line, event);
        }
        for (BootEvent event : boot.latest()) {
            event(line, event);
        }
        return line.toString();
    }

    private static void event(StringBuilder line, BootEvent event) {
        line.append(String.join("\t", "event", event.time().toString(), event.protocol().name(), event.kind().name(),
                event.client().getHostAddress(), event.hardwareAddress().map(SavedTimelines::mac).orElse("-"),
                Long.toString(event.bytes()), Long.toString(event.duration().toNanos()),
                KeptEvent.of(event).detail())).append('\n');
    }

    private static String client(ClientKey client) {
        return client instanceof ClientKey.Mac mac ? "mac:" + mac(mac.mac())
                : "ip:" + ((ClientKey.Address) client).address().getHostAddress();
    }

    private static String mac(HardwareAddress mac) {
        return mac.type() + ":" + HexFormat.of().formatHex(mac.toByteArray());
    }

    private static int utf8Length(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /** The boots a file's text holds, in its order (most recently active first). */
    static List<BootView> read(String text) throws DamagedException {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new DamagedException("line 1: not '" + HEADER + "'");
        }
        List<BootView> boots = new ArrayList<>();
        int at = 1;
        while (at < lines.size() && lines.get(at).startsWith("boot\t")) {
            String[] f = fields(lines.get(at), 11, at);
            int firstCount = count(f[9], at);
            int latestCount = count(f[10], at);
            if (at + 1 + firstCount + latestCount > lines.size()) {
                throw new DamagedException("line " + (at + 1) + ": the file ends inside this boot");
            }
            List<BootEvent> first = events(lines, at + 1, firstCount);
            List<BootEvent> latest = events(lines, at + 1 + firstCount, latestCount);
            if (first.isEmpty()) {
                throw new DamagedException("line " + (at + 1) + ": a boot without events");
            }
            try {
                BootEvent last = latest.isEmpty() ? first.get(first.size() - 1) : latest.get(latest.size() - 1);
                boots.add(new BootView(clientKey(f[1], at), Instant.parse(f[2]), last.time(), first,
                        nonNegative(f[3], at), latest, count(f[4], at), nonNegative(f[5], at), count(f[6], at),
                        failureFrom(f[7], at), bool(f[8], at)));
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new DamagedException("line " + (at + 1) + ": " + e.getMessage());
            }
            at += 1 + firstCount + latestCount;
        }
        if (at != lines.size() - 1 || !lines.get(at).equals("end\t" + boots.size())) {
            throw new DamagedException("line " + (at + 1) + ": expected 'end' and the count of boots");
        }
        return boots;
    }

    private static List<BootEvent> events(List<String> lines, int from, int count) throws DamagedException {
        List<BootEvent> events = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            String[] f = fields(lines.get(i), 9, i);
            if (!f[0].equals("event")) {
                throw new DamagedException("line " + (i + 1) + ": expected an event");
            }
            try {
                BootEvent event = BootEvent.builder(Instant.parse(f[1]), BootProtocol.of(f[2]), BootEvent.Kind.of(f[3]),
                                literal(f[4], i))
                        .hardwareAddress(f[5].equals("-") ? null : hardwareAddress(f[5], i))
                        .bytes(nonNegative(f[6], i)).duration(Duration.ofNanos(nonNegative(f[7], i)))
                        .detail(f[8]).build();
                events.add(KeptEvent.of(event));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new DamagedException("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return events;
    }

    private static String[] fields(String line, int count, int index) throws DamagedException {
        String[] fields = line.split("\t", count);
        if (fields.length != count) {
            throw new DamagedException("line " + (index + 1) + ": " + fields.length + " fields, not " + count);
        }
        return fields;
    }

    private static int count(String text, int index) throws DamagedException {
        long value = nonNegative(text, index);
        if (value > Integer.MAX_VALUE) {
            throw new DamagedException("line " + (index + 1) + ": " + value + " is too large");
        }
        return (int) value;
    }

    private static long nonNegative(String text, int index) throws DamagedException {
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new DamagedException("line " + (index + 1) + ": negative number " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new DamagedException("line " + (index + 1) + ": not a number");
        }
    }

    private static boolean bool(String text, int index) throws DamagedException {
        if (!text.equals("true") && !text.equals("false")) {
            throw new DamagedException("line " + (index + 1) + ": neither true nor false");
        }
        return text.equals("true");
    }

    private static long failureFrom(String text, int index) throws DamagedException {
        return text.equals(Long.toString(BootView.NO_FAILURE)) ? BootView.NO_FAILURE : nonNegative(text, index);
    }

    private static ClientKey clientKey(String text, int index) throws DamagedException {
        if (text.startsWith("mac:")) {
            return new ClientKey.Mac(hardwareAddress(text.substring(4), index));
        }
        if (text.startsWith("ip:")) {
            return new ClientKey.Address(literal(text.substring(3), index));
        }
        throw new DamagedException("line " + (index + 1) + ": not a client");
    }

    private static HardwareAddress hardwareAddress(String text, int index) throws DamagedException {
        int colon = text.indexOf(':');
        try {
            return HardwareAddress.of(Integer.parseInt(text.substring(0, Math.max(colon, 0))),
                    HexFormat.of().parseHex(text.substring(colon + 1)));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new DamagedException("line " + (index + 1) + ": not a hardware address");
        }
    }

    /** An address written as digits, never a name: reading the file looks nothing up. */
    private static InetAddress literal(String text, int index) throws DamagedException {
        boolean ipv4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = text.matches("[0-9a-fA-F:.]{2,45}") && text.contains(":");
        if (!ipv4 && !ipv6) {
            throw new DamagedException("line " + (index + 1) + ": not an address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new DamagedException("line " + (index + 1) + ": not an address");
        }
    }

    /** Writes the file whole or not at all: a crash mid-write leaves the previous one. */
    static void save(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The file's boots; empty when there is no file. Reads at most {@code maxBytes} (and the line
     * that closes them): a longer file was not written by {@link #write} with that bound.
     */
    static Optional<List<BootView>> load(Path file, long maxBytes) throws IOException, DamagedException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new DamagedException("longer than savedBytes = " + maxBytes);
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(read(new String(bytes, StandardCharsets.UTF_8)));
    }
}
