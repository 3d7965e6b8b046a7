package org.diskless.api.boot;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where the boot root is served over HTTP. Registered only while an HTTP boot server listens, so
 * that DHCP names an {@code http://} URL and a loader hands one to iPXE only when a client can
 * fetch it; take it optionally and dynamically, and fall back to TFTP without it.
 */
@ProviderType
public interface HttpBootEndpoint {

    /** Service property: the TCP port the server listens on (Integer). */
    String PORT = "diskless.http.port";

    /** The TCP port the server listens on. */
    int port();

    /**
     * The address the server listens on, or empty when it listens on every address: a client then
     * reaches it at the address it knows as its boot server (DHCP next-server; {@code ${next-server}}
     * in an iPXE script).
     */
    Optional<InetAddress> address();

    /**
     * The URL of the boot root, ending with {@code /}, for a client whose boot server (DHCP
     * next-server) is {@code bootServer}: the server's own address when it listens on one, else
     * {@code bootServer}.
     */
    default URI baseUrl(InetAddress bootServer) {
        InetAddress host = address().orElse(bootServer);
        try {
            return new URI("http", null, host.getHostAddress(), port(), "/", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no URL for " + host + " port " + port(), e);
        }
    }

    /**
     * The URL of {@code path} (inside the boot root, {@code /}-separated, a leading {@code /}
     * ignored) for a client whose boot server is {@code bootServer}; every byte but letters,
     * digits, {@code -._~/} is percent-encoded.
     */
    default URI url(InetAddress bootServer, String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        StringBuilder encoded = new StringBuilder(relative.length());
        for (byte b : relative.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return URI.create(baseUrl(bootServer).toString() + encoded);
    }
}
