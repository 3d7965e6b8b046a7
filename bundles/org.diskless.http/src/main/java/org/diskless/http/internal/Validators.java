package org.diskless.http.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

import org.diskless.api.files.BootFile;

/**
 * A file's validators (RFC 9110 section 8.8): its {@code ETag} and {@code Last-Modified}, made from
 * the size and modification time read when it was resolved, and the rules of the conditional
 * headers that use them. A generated file has none: it is made anew for each client, so a client
 * never holds a copy it could revalidate.
 */
final class Validators {

    private final Optional<String> etag;
    private final Optional<Instant> lastModified;

    private Validators(Optional<String> etag, Optional<Instant> lastModified) {
        this.etag = etag;
        this.lastModified = lastModified;
    }

    static Validators of(BootFile file) {
        Optional<Instant> modified = file.generated() ? Optional.empty()
                : file.lastModified().map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        Optional<String> etag = file.generated() ? Optional.empty() : file.lastModified().map(t -> "\""
                + Long.toHexString(t.getEpochSecond()) + "." + Integer.toHexString(t.getNano()) + "-"
                + Long.toHexString(file.size()) + "\"");
        return new Validators(etag, modified);
    }

    Optional<String> etag() {
        return etag;
    }

    Optional<String> lastModifiedText() {
        return lastModified.map(Validators::httpDate);
    }

    /**
     * Whether a GET or HEAD with these headers gets 304: {@code If-None-Match} names this file's
     * ETag (or {@code *}); or, without {@code If-None-Match}, {@code If-Modified-Since} is not before
     * the modification time.
     */
    boolean notModified(Optional<String> ifNoneMatch, Optional<String> ifModifiedSince) {
        if (ifNoneMatch.isPresent()) {
            return etag.isPresent() && matchesAny(ifNoneMatch.get(), etag.get(), true);
        }
        if (ifModifiedSince.isEmpty() || lastModified.isEmpty()) {
            return false;
        }
        Optional<Instant> since = parseDate(ifModifiedSince.get());
        return since.isPresent() && !lastModified.get().isAfter(since.get());
    }

    /**
     * Whether a {@code Range} may be served under {@code If-Range}: only when it names this very
     * version, by strong ETag or by exactly its date; otherwise the whole file is sent.
     */
    boolean rangeApplies(Optional<String> ifRange) {
        if (ifRange.isEmpty()) {
            return true;
        }
        String value = ifRange.get().trim();
        if (value.startsWith("\"")) {
            return etag.filter(value::equals).isPresent();
        }
        return lastModified.isPresent() && parseDate(value).filter(lastModified.get()::equals).isPresent();
    }

    /** Weak comparison for If-None-Match: {@code W/} prefixes are ignored. */
    private static boolean matchesAny(String list, String etag, boolean weak) {
        for (String candidate : list.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (weak && tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** IMF-fixdate, two-digit day (RFC 1123's formatter in the JDK writes one digit). */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    static String httpDate(Instant time) {
        return IMF_FIXDATE.format(time);
    }

    /** An IMF-fixdate (the form every client sends); any other form is no date. */
    static Optional<Instant> parseDate(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
