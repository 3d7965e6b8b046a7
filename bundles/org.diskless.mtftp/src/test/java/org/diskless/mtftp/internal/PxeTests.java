package org.diskless.mtftp.internal;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;

/** Tests on {@link PxeHarness}es: each one made through {@link #track} is closed after the test. */
abstract class PxeTests {

    private final List<PxeHarness> harnesses = new ArrayList<>();

    PxeHarness track(PxeHarness harness) {
        harnesses.add(harness);
        return harness;
    }

    @AfterEach
    void releaseEverything() {
        harnesses.forEach(PxeHarness::close);
    }
}
