package org.diskless.rmp.internal;

import java.util.List;
import java.util.Optional;

import org.diskless.api.HardwareAddress;

/** A configured cnode as the shell shows it. */
public record CnodeView(String name, Optional<HardwareAddress> client, Optional<String> machineType,
        List<String> offered, List<String> hidden, String origin) {

    public CnodeView {
        offered = List.copyOf(offered);
        hidden = List.copyOf(hidden);
    }
}
