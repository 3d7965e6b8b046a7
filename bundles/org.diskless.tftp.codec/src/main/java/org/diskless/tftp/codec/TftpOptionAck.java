package org.diskless.tftp.codec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** OACK (RFC 2347): the options the server accepted, with the values it chose. */
public record TftpOptionAck(Map<String, String> options) implements TftpPacket {

    public TftpOptionAck {
        options = copyOptions(options);
        if (options.isEmpty()) {
            throw new IllegalArgumentException("an OACK carries at least one option");
        }
    }

    @Override
    public TftpOpcode opcode() {
        return TftpOpcode.OACK;
    }

    /** An unmodifiable, order-keeping copy with lower-case names; the first of duplicates wins. */
    static Map<String, String> copyOptions(Map<String, String> options) {
        Map<String, String> copy = new LinkedHashMap<>();
        options.forEach((name, value) -> copy.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
        return Collections.unmodifiableMap(copy);
    }
}
