package org.diskless.rmp.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The RMP server's own reading of HP-UX clusterconf and boottab and BSD rbootd.conf: whatever the
 * three files hold, the builder gives a table or a list of problems naming file and line, never an
 * exception, and every entry of a table it gives can be looked up.
 *
 * <p>Input: the three files in that order, separated by form feeds (ISO-8859-1, the charset the
 * server reads them in; a missing part is an empty file).
 */
class CnodeTableFuzzTest {

    private static final Path CLUSTERCONF = Path.of("/etc/clusterconf");
    private static final Path BOOTTAB = Path.of("/etc/boottab");
    private static final Path RBOOTD_CONF = Path.of("/etc/rbootd.conf");
    private static final HardwareAddress STRANGER = HardwareAddress.parse("08:00:09:ee:ee:ee");

    @FuzzTest
    void build(byte[] files) throws Exception {
        String[] parts = new String(files, StandardCharsets.ISO_8859_1).split("\f", 3);
        Map<Path, List<String>> contents = new HashMap<>();
        contents.put(CLUSTERCONF, lines(parts, 0));
        contents.put(BOOTTAB, lines(parts, 1));
        contents.put(RBOOTD_CONF, lines(parts, 2));
        for (boolean answerAny : new boolean[] {false, true}) {
            RmpSettings settings = RmpSettings.from(Map.of("clusterconf", CLUSTERCONF.toString(),
                    "boottab", BOOTTAB.toString(), "rbootdConf", RBOOTD_CONF.toString(),
                    "defaultBootFiles", "SYSHPBSD", "answerAny", answerAny));
            CnodeTableBuilder.Result result = CnodeTableBuilder.build(settings, contents);
            result.problems().forEach(problem -> assertTrue(problem.toString().startsWith("/etc/"), problem::toString));
            result.warnings().forEach(String::length);
            result.table().ifPresent(CnodeTableFuzzTest::lookUpEveryEntry);
        }
    }

    private static void lookUpEveryEntry(CnodeTable table) {
        for (Cnode entry : table.entries()) {
            entry.toString();
            entry.mac().ifPresent(mac -> {
                table.find(mac, entry.machineType().orElse(""), Optional.empty());
                table.find(mac, "HPS300", Optional.empty());
            });
        }
        table.find(STRANGER, "HPS300", Optional.empty());
        table.defaultBootFiles();
    }

    private static List<String> lines(String[] parts, int index) {
        // The way Files.readAllLines splits a file.
        return index < parts.length ? new BufferedReader(new StringReader(parts[index])).lines().toList() : List.of();
    }
}
