package org.diskless.web.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** A user name and password as an HTTP Basic {@code Authorization} header carries them (RFC 7617). */
record Credentials(String user, String password) {

    /** Longer headers are not decoded: no Karaf user name and password come near it. */
    static final int MAX_HEADER_CHARS = 1024;
    private static final String BASIC = "basic ";

    @Override
    public String toString() {
        return "Credentials[user=" + user + "]"; // never the password, should this reach a log
    }

    /** The credentials of a Basic {@code Authorization} header; empty for none, another scheme or a malformed one. */
    static Optional<Credentials> fromBasic(String header) {
        if (header == null || header.length() > MAX_HEADER_CHARS
                || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    static String challenge(String realm) {
        return "Basic realm=\"" + realm.replace("\"", "").toLowerCase(Locale.ROOT) + "\", charset=\"UTF-8\"";
    }
}
