package org.diskless.dhcp.codec;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import org.diskless.api.ClientArchitecture;

/**
 * Option 60 of a PXE or UEFI HTTP-boot client, {@code PXEClient:Arch:xxxxx:UNDI:yyyzzz} (PXE 2.1
 * and RFC 4578): the kind, then optional architecture (5 decimal digits) and UNDI version
 * (3 digits major, 3 digits minor). Absent parts are -1.
 */
public record PxeClientClass(String kind, int architectureCode, int undiMajor, int undiMinor) {

    public static final String PXE_CLIENT = "PXEClient";
    public static final String HTTP_CLIENT = "HTTPClient";

    public PxeClientClass {
        if (!PXE_CLIENT.equals(kind) && !HTTP_CLIENT.equals(kind)) {
            throw new IllegalArgumentException("client class is PXEClient or HTTPClient, not " + kind);
        }
        DhcpOptions.checkRange(architectureCode, -1, 0xFFFF, "architecture");
        DhcpOptions.checkRange(undiMajor, -1, 999, "UNDI major version");
        DhcpOptions.checkRange(undiMinor, -1, 999, "UNDI minor version");
    }

    /**
     * Reads a vendor class; empty when it is no PXE or HTTP client class. Unknown trailing
     * fields are ignored, a malformed number reads as absent.
     */
    public static Optional<PxeClientClass> parse(String vendorClass) {
        String[] fields = vendorClass.split(":");
        if (fields.length == 0 || !PXE_CLIENT.equals(fields[0]) && !HTTP_CLIENT.equals(fields[0])) {
            return Optional.empty();
        }
        int architecture = -1;
        int major = -1;
        int minor = -1;
        for (int i = 1; i + 1 < fields.length; i += 2) {
            String value = fields[i + 1];
            if (fields[i].equals("Arch") && value.length() == 5) {
                architecture = digits(value);
            } else if (fields[i].equals("UNDI") && value.length() == 6) {
                major = digits(value.substring(0, 3));
                minor = major < 0 ? -1 : digits(value.substring(3));
                major = minor < 0 ? -1 : major;
            }
        }
        return Optional.of(new PxeClientClass(fields[0], architecture > 0xFFFF ? -1 : architecture, major, minor));
    }

    public Optional<ClientArchitecture> architecture() {
        return architectureCode < 0 ? Optional.empty() : Optional.of(ClientArchitecture.of(architectureCode));
    }

    public OptionalInt undiVersionMajor() {
        return undiMajor < 0 ? OptionalInt.empty() : OptionalInt.of(undiMajor);
    }

    public boolean isHttpClient() {
        return HTTP_CLIENT.equals(kind);
    }

    /** The form clients send, and the bare {@code PXEClient} a ProxyDHCP answers with. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(kind);
        if (architectureCode >= 0) {
            text.append(String.format(Locale.ROOT, ":Arch:%05d", architectureCode));
        }
        if (undiMajor >= 0) {
            text.append(String.format(Locale.ROOT, ":UNDI:%03d%03d", undiMajor, undiMinor));
        }
        return text.toString();
    }

    private static int digits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(text);
    }
}
