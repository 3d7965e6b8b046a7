package org.diskless.api;

import java.util.Map;

/**
 * The client system architecture a PXE or HTTP-boot client announces in DHCP option 93
 * (IANA "Processor Architecture Types", RFC 4578), which decides the first file it can run.
 */
public final class ClientArchitecture {

    public static final ClientArchitecture BIOS = new ClientArchitecture(0, "x86 BIOS");
    public static final ClientArchitecture EFI_IA32 = new ClientArchitecture(6, "x86 UEFI");
    public static final ClientArchitecture EFI_X64 = new ClientArchitecture(7, "x64 UEFI");
    /** Code 9 was misassigned in RFC 4578; firmware sends it for x64 UEFI, so it boots like 7. */
    public static final ClientArchitecture EFI_X64_ALT = new ClientArchitecture(9, "x64 UEFI (code 9)");
    public static final ClientArchitecture EFI_ARM32 = new ClientArchitecture(10, "ARM 32-bit UEFI");
    public static final ClientArchitecture EFI_ARM64 = new ClientArchitecture(11, "ARM 64-bit UEFI");
    public static final ClientArchitecture HTTP_IA32 = new ClientArchitecture(15, "x86 UEFI HTTP boot");
    public static final ClientArchitecture HTTP_X64 = new ClientArchitecture(16, "x64 UEFI HTTP boot");
    public static final ClientArchitecture HTTP_ARM64 = new ClientArchitecture(19, "ARM 64-bit UEFI HTTP boot");

    private static final Map<Integer, ClientArchitecture> KNOWN = Map.of(
            0, BIOS, 6, EFI_IA32, 7, EFI_X64, 9, EFI_X64_ALT, 10, EFI_ARM32, 11, EFI_ARM64,
            15, HTTP_IA32, 16, HTTP_X64, 19, HTTP_ARM64);

    private final int code;
    private final String description;

    private ClientArchitecture(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The architecture for an option 93 value; unknown codes are kept, not rejected. */
    public static ClientArchitecture of(int code) {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("client architecture is a 16-bit code, not " + code);
        }
        ClientArchitecture known = KNOWN.get(code);
        return known != null ? known : new ClientArchitecture(code, "architecture " + code);
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    public boolean isUefi() {
        return code != 0 && KNOWN.containsKey(code);
    }

    public boolean isHttpBoot() {
        return code == 15 || code == 16 || code == 19;
    }

    /** x64 UEFI arrives as code 7 or 9; both boot the same file. */
    public ClientArchitecture canonical() {
        return code == 9 ? EFI_X64 : this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientArchitecture other && code == other.code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return code + " (" + description + ")";
    }
}
