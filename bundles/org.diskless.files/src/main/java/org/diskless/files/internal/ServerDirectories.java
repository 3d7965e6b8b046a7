package org.diskless.files.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the server keeps its own files: the base that relative boot roots are taken from, and the
 * directories no boot root may expose — {@code etc/} (the SSH host key, every configuration) and
 * {@code data/} (lease journals, the framework's cache).
 *
 * @param base    where a relative root is taken from; empty outside Karaf (the working directory)
 * @param privateDirectories the server's own directories, absolute
 */
record ServerDirectories(Optional<Path> base, List<Path> privateDirectories) {

    ServerDirectories {
        privateDirectories = List.copyOf(privateDirectories);
    }

    /** Karaf's, from its system properties ({@code karaf.base}, {@code karaf.etc}, {@code karaf.data}). */
    static ServerDirectories ofKaraf() {
        Optional<Path> base = property("karaf.base");
        List<Path> own = new ArrayList<>();
        property("karaf.etc").or(() -> base.map(b -> b.resolve("etc"))).ifPresent(own::add);
        property("karaf.data").or(() -> base.map(b -> b.resolve("data"))).ifPresent(own::add);
        return new ServerDirectories(base, own);
    }

    private static Optional<Path> property(String name) {
        return Optional.ofNullable(System.getProperty(name)).filter(v -> !v.isBlank())
                .map(v -> Path.of(v).toAbsolutePath().normalize());
    }
}
