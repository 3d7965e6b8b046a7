package org.diskless.nfsroot.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.support.CommandException;
import org.diskless.nfsroot.internal.NfsRootHints;
import org.junit.jupiter.api.Test;

class CommandsTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private final NfsRootHints hints = new NfsRootHints() {
        @Override
        public String hints(Optional<String> nodeOrGroup) {
            if (nodeOrGroup.filter("node01"::equals).isPresent() || nodeOrGroup.isEmpty()) {
                return "node01 (…)\n";
            }
            throw new IllegalArgumentException("No node or group named '" + nodeOrGroup.get() + "'");
        }

        @Override
        public String exports() {
            return "# exports\n";
        }

        @Override
        public String check() {
            return "No problems.\n";
        }

        @Override
        public List<String> names() {
            return List.of("node01");
        }
    };

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void hintsOfANodeOrEveryNodeAndAnUnknownNameIsOneLineNotAStackTrace() throws Exception {
        HintsCommand command = new HintsCommand();
        command.hints = hints;
        command.out = out;
        command.execute();
        command.name = "node01";
        command.execute();
        command.name = "node99";
        assertEquals("No node or group named 'node99'", assertThrows(CommandException.class, command::execute)
                .getMessage());
        assertEquals("node01 (…)\nnode01 (…)\n", printed());
    }

    @Test
    void exportsAndCheckPrintWhatTheServiceSays() {
        ExportsCommand exports = new ExportsCommand();
        exports.hints = hints;
        exports.out = out;
        exports.execute();
        CheckCommand check = new CheckCommand();
        check.hints = hints;
        check.out = out;
        check.execute();
        assertEquals("# exports\nNo problems.\n", printed());
    }
}
