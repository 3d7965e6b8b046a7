package org.diskless.rmp.internal;

import java.time.Duration;
import java.time.Instant;

import org.diskless.api.HardwareAddress;

/** A session as the shell shows it. */
public record SessionView(int id, HardwareAddress client, String cnode, String file, long offset, long size,
        long bytesSent, Instant opened, Duration age, Duration idle) {
}
