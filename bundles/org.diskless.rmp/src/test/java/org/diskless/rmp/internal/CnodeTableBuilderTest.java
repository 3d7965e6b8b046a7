package org.diskless.rmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CnodeTableBuilderTest {

    static final Path CLUSTERCONF = Path.of("/etc/clusterconf");
    static final Path BOOTTAB = Path.of("/etc/boottab");
    static final Path RBOOTD = Path.of("/etc/rbootd.conf");
    static final HardwareAddress WILLIAM = HardwareAddress.parse("08:00:09:00:00:01");
    static final HardwareAddress HARRY = HardwareAddress.parse("08:00:09:00:00:02");

    private static CnodeTableBuilder.Result build(Map<String, Object> properties, Map<Path, List<String>> files) {
        try {
            return CnodeTableBuilder.build(RmpSettings.from(properties), files);
        } catch (InvalidSettingException e) {
            throw new AssertionError(e);
        }
    }

    private static CnodeTable table(Map<String, Object> properties, Map<Path, List<String>> files) {
        CnodeTableBuilder.Result result = build(properties, files);
        assertTrue(result.problems().isEmpty(), result.problems().toString());
        return result.table().orElseThrow();
    }

    private static Cnode find(CnodeTable table, HardwareAddress mac, String machineType) {
        return table.find(mac, machineType, Optional.empty()).cnode().orElseThrow();
    }

    @Test
    void rbootdConfAcceptsShortOctetsCommasAndComments() {
        CnodeTable table = table(Map.of("rbootdConf", RBOOTD.toString()), Map.of(RBOOTD, List.of(
                "# ethernet addr   boot file(s)",
                "8::9:0:0:1   SYSHPBSD,SYSHPUX   # william",
                "",
                "08:00:09:00:00:02 SYSHPBSD")));
        assertEquals(List.of("SYSHPBSD", "SYSHPUX"), find(table, WILLIAM, "HPS300").offered());
        assertEquals(List.of("SYSHPBSD"), find(table, HARRY, "").offered());
    }

    @Test
    void rbootdLineWithoutFilesGetsTheDefaultFiles() {
        CnodeTable table = table(Map.of("rbootdConf", RBOOTD.toString(), "defaultBootFiles", "SYS_UBOOT, SYS_INST"),
                Map.of(RBOOTD, List.of("08:00:09:00:00:01")));
        assertEquals(List.of("SYS_UBOOT", "SYS_INST"), find(table, WILLIAM, "HPS300").offered());
    }

    @Test
    void badLinesAreAllReportedWithTheirNumbersAndNoTableIsBuilt() {
        CnodeTableBuilder.Result result = build(Map.of("rbootdConf", RBOOTD.toString()), Map.of(RBOOTD, List.of(
                "08:00:09:00:00:01 SYSHPBSD",
                "08:00:09:00:00:zz SYSHPBSD",
                "08:00:09:00:00:01 SYSHPUX",
                "08:00:09:00:00:03 usr/mdec/SYSHPUX")));
        assertTrue(result.table().isEmpty());
        assertEquals(3, result.problems().size(), result.problems().toString());
        assertEquals(List.of(2, 3, 4), result.problems().stream().map(ConfigProblem::line).toList());
        assertTrue(result.problems().get(0).toString().startsWith("/etc/rbootd.conf:2: '08:00:09:00:00:zz' is not"),
                result.problems().get(0).toString());
        assertTrue(result.problems().get(1).message().contains("already listed on line 1"));
    }

    @Test
    void clusterconfCnodesTakeTheirBoottabLineOrTheClusterLines() {
        CnodeTable table = table(Map.of("clusterconf", CLUSTERCONF.toString(), "boottab", BOOTTAB.toString()), Map.of(
                CLUSTERCONF, List.of(
                        "# cluster configuration",
                        "080009000000:",
                        "080009000000:1:rootsrv:r:0:4",
                        "080009000001:2:william:c:1:4",
                        "080009000002:3:harry:c:1:4"),
                BOOTTAB, List.of(
                        "cluster : HPS300 :  : SYSHPUX , SYSDEBUG",
                        "william::: SYSBCKUP : SYSHIDDEN   # william boots its own")));
        Cnode william = find(table, WILLIAM, "HPS300");
        assertEquals("william", william.name());
        assertEquals(List.of("SYSBCKUP"), william.offered());
        assertEquals(List.of("SYSHIDDEN"), william.hidden());
        Cnode harry = find(table, HARRY, "HPS300");
        assertEquals("harry", harry.name());
        assertEquals(List.of("SYSHPUX", "SYSDEBUG"), harry.offered());
        assertTrue(table.find(HARRY, "HPS700", Optional.empty()).cnode().isEmpty(), "cluster line is for HPS300");
        assertTrue(table.find(HardwareAddress.parse("08:00:09:00:00:00"), "HPS300", Optional.empty()).cnode()
                .isEmpty(), "the root server is not a client");
    }

    @Test
    void clusterconfCnodeWithoutBoottabGetsTheDefaultFiles() {
        CnodeTable table = table(Map.of("clusterconf", CLUSTERCONF.toString(), "defaultBootFiles", "SYSHPUX"),
                Map.of(CLUSTERCONF, List.of("", "080009000001:2:william:c:1:4")));
        assertEquals(List.of("SYSHPUX"), find(table, WILLIAM, "HPS300").offered());
    }

    @Test
    void clusterconfProblemsNameTheLine() {
        CnodeTableBuilder.Result result = build(Map.of("clusterconf", CLUSTERCONF.toString()), Map.of(CLUSTERCONF,
                List.of("080009000000:",
                        "080009000001:2:william:c:1:4",
                        "080009000002:2:harry:c:1:4",
                        "0800090000:4:tom:c:1:4",
                        "080009000003:5:averylongname:c:1:4",
                        "080009000004:6:dick:x:1:4")));
        assertEquals(List.of(3, 4, 5, 6), result.problems().stream().map(ConfigProblem::line).toList(),
                result.problems().toString());
    }

    @Test
    void boottabLineWithItsOwnLinkAddressNeedsNoClusterconf() {
        CnodeTable table = table(Map.of("boottab", BOOTTAB.toString()), Map.of(BOOTTAB, List.of(
                "william:HPS300:0x080009000001:SYSHPUX",
                "william:HPS700:080009000001:SYSHPPA")));
        assertEquals(List.of("SYSHPUX"), find(table, WILLIAM, "HPS300").offered());
        assertEquals(List.of("SYSHPPA"), find(table, WILLIAM, "HPS700").offered());
        assertTrue(table.find(WILLIAM, "HPS800", Optional.empty()).refusal().orElseThrow().contains("HPS800"));
    }

    @Test
    void boottabDefaultLineAnswersAnyMachineOfItsType() {
        CnodeTable table = table(Map.of("boottab", BOOTTAB.toString()), Map.of(BOOTTAB, List.of(
                "default:HPS300::SYS_UBOOT")));
        Cnode anyone = find(table, HARRY, "HPS300");
        assertEquals(List.of("SYS_UBOOT"), anyone.offered());
        assertEquals("node-080009000002", anyone.name());
        assertTrue(table.find(HARRY, "HPS700", Optional.empty()).cnode().isEmpty());
    }

    @Test
    void boottabProblems() {
        CnodeTableBuilder.Result result = build(Map.of("boottab", BOOTTAB.toString()), Map.of(BOOTTAB, List.of(
                "william:HPS300:080009000001",
                "william:HPS300:080009000001:usr/boot/SYSHPUX",
                "default::080009000001:SYSHPUX",
                "harry::0800090002:SYSHPUX",
                "tom::080009000003:SYSHPUX",
                "tom::080009000003:SYSHPUX")));
        assertEquals(List.of(1, 2, 3, 4, 6), result.problems().stream().map(ConfigProblem::line).toList(),
                result.problems().toString());
    }

    @Test
    void installLinesAreSkippedWithAWarningNotAnError() {
        CnodeTableBuilder.Result result = build(Map.of("boottab", BOOTTAB.toString()), Map.of(BOOTTAB, List.of(
                "install:HPS300::SYSINSTALL")));
        assertTrue(result.problems().isEmpty());
        assertEquals(1, result.warnings().size());
    }

    @Test
    void theSameMachineInTwoFilesIsAProblem() {
        CnodeTableBuilder.Result result = build(Map.of("boottab", BOOTTAB.toString(), "rbootdConf", RBOOTD.toString()),
                Map.of(BOOTTAB, List.of("william::080009000001:SYSHPUX"),
                        RBOOTD, List.of("08:00:09:00:00:01 SYSHPBSD")));
        assertEquals(1, result.problems().size());
        assertTrue(result.problems().get(0).message().contains("already configured by /etc/boottab:1"),
                result.problems().toString());
    }

    @Test
    void missingFileIsAProblemOfTheWholeFile(@TempDir Path dir) throws IOException {
        Path present = dir.resolve("rbootd.conf");
        Files.writeString(present, "08:00:09:00:00:01 SYSHPBSD\n");
        RmpSettings settings;
        try {
            settings = RmpSettings.from(Map.of("rbootdConf", present.toString(),
                    "clusterconf", dir.resolve("clusterconf").toString()));
        } catch (InvalidSettingException e) {
            throw new AssertionError(e);
        }
        CnodeTableBuilder.Result result = CnodeTableBuilder.load(settings);
        assertTrue(result.table().isEmpty());
        assertEquals("no such file", result.problems().get(0).message());
        assertEquals(0, result.problems().get(0).line());
    }

    @Test
    void filesAreReadFromDisk(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rbootd.conf");
        Files.writeString(file, "08:00:09:00:00:01 SYSHPBSD\n");
        RmpSettings settings;
        try {
            settings = RmpSettings.from(Map.of("rbootdConf", file.toString()));
        } catch (InvalidSettingException e) {
            throw new AssertionError(e);
        }
        CnodeTable table = CnodeTableBuilder.load(settings).table().orElseThrow();
        assertEquals(List.of("SYSHPBSD"), find(table, WILLIAM, "HPS300").offered());
    }
}
