package org.diskless.dhcp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootLoader;

/** A boot loader service that answers as the test says and remembers whom it was asked about. */
final class StubLoader implements BootLoader {

    private final String name;
    private final Function<BootContext, Optional<String>> choice;
    final List<BootContext> asked = new ArrayList<>();

    StubLoader(String name, Function<BootContext, Optional<String>> choice) {
        this.name = name;
        this.choice = choice;
    }

    /** A loader that names {@code file} for every client it is asked about. */
    static StubLoader naming(String name, String file) {
        return new StubLoader(name, context -> Optional.of(file));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> bootFile(BootContext context) {
        asked.add(context);
        return choice.apply(context);
    }
}
