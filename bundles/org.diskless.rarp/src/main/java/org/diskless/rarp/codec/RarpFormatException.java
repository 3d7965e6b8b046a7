package org.diskless.rarp.codec;

/** A frame that is not a RARP packet of Ethernet and IPv4; the message says which part is wrong. */
public class RarpFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public RarpFormatException(String message) {
        super(message);
    }
}
