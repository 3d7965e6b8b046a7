package org.diskless.http.internal;

import org.diskless.support.stats.EnumCounters;

/** The HTTP server's counters, updated from every event loop. */
public final class HttpCounters extends EnumCounters<HttpCounter> {

    HttpCounters() {
        super(HttpCounter.class, HttpCounter::label);
    }
}
