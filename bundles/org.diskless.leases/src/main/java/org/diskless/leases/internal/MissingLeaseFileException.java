package org.diskless.leases.internal;

import java.io.IOException;

/**
 * A lease store whose files do not reach back to its beginning: a snapshot or journal that the
 * files present depend on is gone. Opened anyway, it would serve without the leases that file held
 * and hand their addresses to other clients, so it is not opened.
 */
final class MissingLeaseFileException extends IOException {

    private static final long serialVersionUID = 1L;

    MissingLeaseFileException(String message) {
        super(message);
    }
}
