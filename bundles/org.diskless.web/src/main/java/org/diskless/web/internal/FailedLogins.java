package org.diskless.web.internal;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The failed logins of each client address, so that password guessing is held back: after
 * {@link LoginLimits#failures()} within a window an address is locked out, and while it is, no login
 * from it is tried at all; each lockout that follows lasts twice as long, up to the maximum; a
 * successful login forgets the address.
 *
 * <p>Bounded, whatever the number of addresses a flood comes from: at most
 * {@link LoginLimits#maxClients()} addresses are remembered. A new one pushes out the address that
 * failed longest ago unless that one is locked out; when even it is, every address not remembered
 * shares one more entry, so a flood from more addresses than that is locked out as one client.
 */
final class FailedLogins {

    /** The entry that addresses share when the table is full of lockouts. */
    static final String OTHERS = "(every address past login.clients)";

    /** What a failed login led to. */
    record Failure(String entry, boolean lockedOut, int failures, Duration backoff) {
    }

    private static final class Entry {
        int failures;
        long windowStart;
        long lastFailure;
        long lockedUntil;
        int lockouts;
    }

    private final LongSupplier nanoTime;
    private LoginLimits limits;
    /** Oldest failure first: an address moves to the end at each failure. */
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lockouts = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    FailedLogins(LoginLimits limits) {
        this(limits, System::nanoTime);
    }

    FailedLogins(LoginLimits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
    }

    synchronized LoginLimits limits() {
        return limits;
    }

    /** New limits from now on; what was counted so far stays, the oldest addresses past a smaller table go. */
    synchronized void limits(LoginLimits next) {
        limits = next;
        Iterator<String> oldestFirst = entries.keySet().iterator();
        while (entries.size() > next.maxClients() && oldestFirst.hasNext()) {
            oldestFirst.next();
            oldestFirst.remove();
        }
    }

    /** How long {@code address} is still locked out, counted as a refusal; empty when a login may be tried. */
    synchronized Optional<Duration> lockedOut(String address) {
        long now = nanoTime.getAsLong();
        Entry entry = entries.get(address);
        if (entry == null && entries.size() >= limits.maxClients() && !evictable(eldest(), now)) {
            entry = entries.get(OTHERS);
        }
        if (entry == null || now - entry.lockedUntil >= 0) {
            return Optional.empty();
        }
        refused.incrementAndGet();
        return Optional.of(Duration.ofNanos(entry.lockedUntil - now));
    }

    /** Records a wrong user or password from {@code address}. */
    synchronized Failure failed(String address) {
        long now = nanoTime.getAsLong();
        failed.incrementAndGet();
        String key = address;
        Entry entry = entries.remove(key);
        if (entry == null) {
            key = roomFor(address, now);
            entry = entries.remove(key);
            if (entry == null) {
                entry = new Entry();
                entry.windowStart = now;
                entry.lockedUntil = now;
            }
        }
        entries.put(key, entry); // now the newest
        if (now - entry.windowStart > limits.window().toNanos()) {
            entry.failures = 0;
            entry.windowStart = now;
        }
        entry.lastFailure = now;
        entry.failures++;
        if (entry.failures < limits.failures()) {
            return new Failure(key, false, entry.failures, Duration.ZERO);
        }
        Duration backoff = limits.backoffAfter(entry.lockouts);
        int counted = entry.failures;
        entry.lockouts++;
        entry.lockedUntil = now + backoff.toNanos();
        entry.failures = 0;
        entry.windowStart = now;
        lockouts.incrementAndGet();
        return new Failure(key, true, counted, backoff);
    }

    /** A login from {@code address} succeeded: its failures and back-off are forgotten. */
    synchronized void succeeded(String address) {
        entries.remove(address);
    }

    /** The key {@code address} is remembered under: itself, or {@link #OTHERS} when there is no room. */
    private String roomFor(String address, long now) {
        forgetStale(now);
        if (entries.size() < limits.maxClients()) {
            return address;
        }
        Map.Entry<String, Entry> eldest = eldest();
        if (evictable(eldest, now)) {
            entries.remove(eldest.getKey());
            return address;
        }
        return OTHERS;
    }

    /** Drops, oldest first, the addresses whose back-off has run out a whole maximum back-off ago. */
    private void forgetStale(long now) {
        long quiet = Math.max(limits.window().toNanos(), limits.maxBackoff().toNanos());
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (oldestFirst.hasNext()) {
            Entry entry = oldestFirst.next();
            if (now - entry.lockedUntil < 0 || now - entry.lastFailure < quiet) {
                return;
            }
            oldestFirst.remove();
        }
    }

    private Map.Entry<String, Entry> eldest() {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        return it.hasNext() ? it.next() : null;
    }

    private static boolean evictable(Map.Entry<String, Entry> entry, long now) {
        return entry == null || now - entry.getValue().lockedUntil >= 0;
    }

    /** Addresses remembered now, {@link #OTHERS} included. */
    synchronized int size() {
        return entries.size();
    }

    /** Wrong users or passwords since the start. */
    long failedCount() {
        return failed.get();
    }

    /** Times an address was locked out. */
    long lockoutCount() {
        return lockouts.get();
    }

    /** Requests answered 429 without trying the login. */
    long refusedCount() {
        return refused.get();
    }
}
