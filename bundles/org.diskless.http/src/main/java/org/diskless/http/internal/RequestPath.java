package org.diskless.http.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The boot-root path a request target names: origin form ({@code /a/b?q}) or absolute form
 * ({@code http://host/a/b}), the query and fragment dropped, percent-escapes decoded as UTF-8.
 * Whether the path may be served is the resolver's business (the jail); this only says whether it
 * can be read at all.
 */
final class RequestPath {

    private RequestPath() {
    }

    /** The decoded path, or empty for a target that is no path (malformed escapes, {@code *}, bad UTF-8). */
    static Optional<String> of(String target) {
        String raw;
        if (target.startsWith("/")) {
            raw = target;
        } else {
            try {
                URI uri = new URI(target);
                if (uri.getScheme() == null || uri.getRawPath() == null || !uri.getRawPath().startsWith("/")) {
                    return Optional.empty();
                }
                raw = uri.getRawPath();
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }
        int end = raw.length();
        for (char stop : new char[] {'?', '#'}) {
            int at = raw.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return decode(raw.substring(0, end));
    }

    private static Optional<String> decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return Optional.of(raw);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(plain, 0, plain.length);
                continue;
            }
            if (i + 2 >= raw.length()) {
                return Optional.empty();
            }
            int high = Character.digit(raw.charAt(i + 1), 16);
            int low = Character.digit(raw.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return Optional.empty();
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
