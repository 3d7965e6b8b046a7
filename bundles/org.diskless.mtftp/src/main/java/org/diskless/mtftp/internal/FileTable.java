package org.diskless.mtftp.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The file configurations, in the order they arrived, and which of them are served: a file is
 * served unless an earlier one already sends the same name, or already uses its group and client
 * port (a client listening there could not tell the two files' blocks apart), or {@code maxFiles}
 * are served already. A configuration held back that way is served as soon as what held it back
 * goes; a change that would clash with another file is refused, and the version in force keeps
 * serving. Not thread-safe: the server calls it under its own lock.
 */
final class FileTable {

    private final Map<String, FileSettings> byArrival = new LinkedHashMap<>();
    private int maxFiles;
    private Map<String, FileSettings> served = Map.of();
    private Map<String, String> heldBack = Map.of();

    FileTable(int maxFiles) {
        this.maxFiles = maxFiles;
    }

    /** Adds or replaces the configuration {@code pid}; the reason it is not served, if it is not. */
    Optional<String> put(String pid, FileSettings settings) {
        if (served.containsKey(pid)) {
            Optional<String> clash = clash(pid, settings, served);
            if (clash.isPresent()) {
                return clash;
            }
        }
        byArrival.put(pid, settings);
        recompute();
        return Optional.ofNullable(heldBack.get(pid));
    }

    void remove(String pid) {
        if (byArrival.remove(pid) != null) {
            recompute();
        }
    }

    void maxFiles(int limit) {
        maxFiles = limit;
        recompute();
    }

    /** The files served, by configuration, in the order they arrived. */
    Map<String, FileSettings> served() {
        return served;
    }

    /** Why each configuration not served is held back. */
    Map<String, String> heldBack() {
        return heldBack;
    }

    private void recompute() {
        Map<String, FileSettings> nowServed = new LinkedHashMap<>();
        Map<String, String> nowHeld = new LinkedHashMap<>();
        for (Map.Entry<String, FileSettings> entry : byArrival.entrySet()) {
            Optional<String> clash = clash(entry.getKey(), entry.getValue(), nowServed);
            if (clash.isPresent()) {
                nowHeld.put(entry.getKey(), clash.get());
            } else if (nowServed.size() >= maxFiles) {
                nowHeld.put(entry.getKey(), maxFiles + " files are multicast already (maxFiles in"
                        + " etc/org.diskless.mtftp.cfg)");
            } else {
                nowServed.put(entry.getKey(), entry.getValue());
            }
        }
        served = Collections.unmodifiableMap(nowServed);
        heldBack = Collections.unmodifiableMap(nowHeld);
    }

    /** Why {@code settings} cannot be served beside {@code others} (its own earlier version aside). */
    private static Optional<String> clash(String pid, FileSettings settings, Map<String, FileSettings> others) {
        for (Map.Entry<String, FileSettings> other : others.entrySet()) {
            FileSettings o = other.getValue();
            if (other.getKey().equals(pid)) {
                continue;
            }
            if (o.file().equals(settings.file())) {
                return Optional.of(settings.file() + " is multicast already by " + other.getKey() + " (on "
                        + o.destinationText() + ")");
            }
            if (o.group().equals(settings.group()) && o.clientPort() == settings.clientPort()) {
                return Optional.of(settings.destinationText() + " carries " + o.file() + " already ("
                        + other.getKey() + "); give each file a group or client port of its own");
            }
        }
        return Optional.empty();
    }

    /** The configurations that were held back before and are served now. */
    static List<String> promoted(Map<String, String> heldBefore, Map<String, FileSettings> servedNow) {
        List<String> out = new ArrayList<>();
        for (String pid : heldBefore.keySet()) {
            if (servedNow.containsKey(pid)) {
                out.add(pid);
            }
        }
        return out;
    }
}
