package org.diskless.support.shell;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

import org.apache.karaf.shell.support.table.ShellTable;
import org.diskless.api.stats.ProtocolStatistics;

/**
 * What a link-layer protocol's {@code stats} command prints: where it serves (or that it is idle),
 * then its gauges and counters, one a row. Needs the Karaf shell, which only its commands load.
 */
public final class CounterTable {

    private CounterTable() {
    }

    public static void print(PrintStream out, Optional<String> servingOn, ProtocolStatistics statistics) {
        out.println(servingOn.map(i -> "Serving on " + i).orElse("Idle (no usable 'interface')"));
        ShellTable table = new ShellTable();
        table.column("Counter");
        table.column("Value").alignRight();
        for (Map<String, Long> values : java.util.List.of(statistics.gauges(), statistics.counters())) {
            for (Map.Entry<String, Long> value : values.entrySet()) {
                table.addRow().addContent(value.getKey(), value.getValue());
            }
        }
        table.print(out);
    }
}
