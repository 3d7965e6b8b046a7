package org.diskless.support.bootconf;

import java.util.List;

/** What a boot configuration file held: its usable entries in file order, and the lines that were not. */
public record Parsed<T>(List<T> entries, List<LineProblem> problems) {

    public Parsed {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }
}
