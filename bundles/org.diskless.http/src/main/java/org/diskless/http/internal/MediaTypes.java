package org.diskless.http.internal;

import java.util.Locale;
import java.util.Map;

/** The Content-Type of a boot file, by its extension: what firmware and loaders check, else octets. */
final class MediaTypes {

    static final String OCTETS = "application/octet-stream";

    /** UEFI HTTP boot checks {@code application/efi} for an EFI image (UEFI spec, HTTP Boot). */
    private static final Map<String, String> BY_EXTENSION = Map.of(
            "efi", "application/efi",
            "ipxe", "text/plain; charset=utf-8",
            "cfg", "text/plain; charset=utf-8",
            "txt", "text/plain; charset=utf-8",
            "iso", "application/vnd.efi.iso",
            "img", "application/vnd.efi.img");

    private MediaTypes() {
    }

    static String of(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash + 1) {
            return OCTETS;
        }
        return BY_EXTENSION.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), OCTETS);
    }
}
