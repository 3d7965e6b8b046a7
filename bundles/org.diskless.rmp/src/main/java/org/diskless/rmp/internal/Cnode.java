package org.diskless.rmp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.support.bootconf.RbootdConf;

/**
 * A machine this server answers, as the configuration describes it.
 *
 * @param name        the cnode name (HP-UX context for context-dependent files)
 * @param mac         its link-level address; empty for a boottab line matched by name through the
 *                    inventory and for {@code default} lines
 * @param machineType the boot ROM's machine type this entry is for ({@code HPS300}); empty: any
 * @param offered     boot files listed to file-list probes, best first
 * @param hidden      boot files it may also load when it names them, but which are not listed
 * @param origin      where it was configured ({@code /etc/boottab:12}, {@code inventory})
 */
record Cnode(String name, Optional<HardwareAddress> mac, Optional<String> machineType, List<String> offered,
        List<String> hidden, String origin) {

    Cnode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(machineType, "machineType");
        offered = List.copyOf(offered);
        hidden = List.copyOf(hidden);
        Objects.requireNonNull(origin, "origin");
    }

    Cnode withName(String other) {
        return new Cnode(other, mac, machineType, offered, hidden, origin);
    }

    Cnode withMac(HardwareAddress address) {
        return new Cnode(name, Optional.of(address), machineType, offered, hidden, origin);
    }

    /** Every file it may load, offered ones first. */
    List<String> allowed() {
        List<String> all = new ArrayList<>(offered);
        all.addAll(hidden);
        return all;
    }

    /**
     * The configured path of the file the client asked for by its last path component (rbootd
     * strips any path a client sends), or empty if this cnode may not load it.
     */
    Optional<String> allowedFile(String requestedName) {
        for (String file : allowed()) {
            if (baseName(file).equals(requestedName)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    boolean acceptsMachineType(String announced) {
        return machineType.isEmpty() || machineType.get().equalsIgnoreCase(announced);
    }

    static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    static String derivedName(HardwareAddress mac) {
        return RbootdConf.nameOf(mac);
    }
}
