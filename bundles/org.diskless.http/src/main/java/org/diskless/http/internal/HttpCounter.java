package org.diskless.http.internal;

/** What the HTTP server counts, by its published label ({@code http:stats}, metrics exporters). */
enum HttpCounter {
    CONNECTIONS("connections"),
    CONNECTIONS_REFUSED("connections_refused"),
    REQUESTS("requests"),
    STARTED("transfers_started"),
    FILES_SENT("files_sent"),
    PARTIAL("ranges_sent"),
    HEAD("head_answered"),
    NOT_MODIFIED("not_modified"),
    NOT_FOUND("not_found"),
    FORBIDDEN("forbidden"),
    BAD_REQUESTS("bad_requests"),
    METHOD_NOT_ALLOWED("method_not_allowed"),
    RANGE_NOT_SATISFIABLE("range_not_satisfiable"),
    BUSY("busy"),
    SERVER_ERRORS("server_errors"),
    FAILED("transfers_failed"),
    IDLE_CLOSED("idle_closed"),
    BYTES_SENT("bytes_sent"),
    ZERO_COPY_BYTES("bytes_sent_zero_copy");

    private final String label;

    HttpCounter(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
