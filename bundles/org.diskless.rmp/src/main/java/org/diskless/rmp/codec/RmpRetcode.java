package org.diskless.rmp.codec;

import java.util.Optional;

/** RMP return codes, with the numbers HP's boot ROMs and the BSD rbootd use. */
public enum RmpRetcode {
    OKAY(0),
    /** Read reply: nothing left to read at this offset. */
    EOF(2),
    /** Read reply: no session for this client, or the file could not be read. */
    ABORT(3),
    /** Boot reply: the server is out of sessions. */
    BUSY(4),
    /** Lengthen the time-out; defined by the protocol, used by no known server. */
    TIMEOUT(5),
    /** Boot reply: no such file for this client. */
    NOFILE(16),
    /** Boot reply: the file exists but could not be opened. */
    OPENFILE(17),
    /** Boot reply to a file-list probe: no file with that number (the end of the list). */
    NODFLT(18),
    /** Boot reply: the default file could not be opened. */
    OPENDFLT(19),
    /** Read reply: the session id is not the one this client was given. */
    BADSID(25),
    BADPACKET(27);

    private final int code;

    RmpRetcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<RmpRetcode> valueOf(int code) {
        for (RmpRetcode retcode : values()) {
            if (retcode.code == code) {
                return Optional.of(retcode);
            }
        }
        return Optional.empty();
    }
}
