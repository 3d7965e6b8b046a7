package org.diskless.rmp.codec;

/** A frame that is not a well-formed RMP frame; the message says which part is wrong. */
public class RmpFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public RmpFormatException(String message) {
        super(message);
    }
}
