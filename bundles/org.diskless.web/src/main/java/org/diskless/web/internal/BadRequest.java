package org.diskless.web.internal;

/** A request the API cannot act on: 400 with the field it is about. */
final class BadRequest extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;

    BadRequest(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The JSON field (or {@code body}) that is wrong. */
    String field() {
        return field;
    }
}
