package org.diskless.api.timeline;

import java.util.List;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The kept boots of every client, as the boot timelines recorded them from every protocol's events.
 * Read-only and bounded: the recorder keeps a few boots per client and forgets the least recently
 * active clients first, so an empty answer means "not heard from lately", never "never booted".
 */
@ProviderType
public interface BootHistory {

    /** The kept boots of the client with this hardware address, newest first; empty when none is kept. */
    List<RecordedBoot> boots(HardwareAddress client);

    /** The client's most recent kept boot. */
    default Optional<RecordedBoot> lastBoot(HardwareAddress client) {
        return boots(client).stream().findFirst();
    }
}
