package org.diskless.support.bootconf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.diskless.api.HardwareAddress;
import org.junit.jupiter.api.Test;

class RbootdConfTest {

    private static final String RBOOTD_CONF = """
            #
            # ethernet addr     boot file(s)        comments
            #
            08:00:09:0:66:ad    SYSHPBSD            # snake
            08:00:09:0:59:5b                        # vandy (anything)
            8::9:1:C6:75        SYSHPBSD,SYSHPUX    # jaguar (either)
            08:00:09:zz:00:01   SYSHPBSD
            08:00:09:00:66:AD   SYSHPUX
            08:00:09:00:00:02   /usr/mdec/SYSHPBSD
            """;

    private final Parsed<RbootdConf.Entry> parsed = RbootdConf.parse(RBOOTD_CONF.lines().toList());

    @Test
    void readsShortAndEmptyOctetsCommasAndComments() {
        assertEquals(List.of(
                new RbootdConf.Entry(4, HardwareAddress.parse("08:00:09:00:66:ad"), List.of("SYSHPBSD")),
                new RbootdConf.Entry(5, HardwareAddress.parse("08:00:09:00:59:5b"), List.of()),
                new RbootdConf.Entry(6, HardwareAddress.parse("08:00:09:01:c6:75"), List.of("SYSHPBSD", "SYSHPUX"))),
                parsed.entries());
    }

    @Test
    void namesABadAddressARepeatedOneAndAPath() {
        assertEquals(List.of(7, 8, 9), parsed.problems().stream().map(LineProblem::line).toList());
        assertTrue(parsed.problems().get(0).reason().contains("'08:00:09:zz:00:01' is not an Ethernet address"),
                parsed.problems().toString());
        assertTrue(parsed.problems().get(1).reason().contains("already listed on line 4"), parsed.problems().toString());
        assertTrue(parsed.problems().get(2).reason().contains("names a path"), parsed.problems().toString());
    }

    @Test
    void aLineOfSeparatorsIsAProblemNotACrash() {
        Parsed<RbootdConf.Entry> commas = RbootdConf.parse(List.of("08:00:09:00:66:ad SYSHPBSD", ",", " , ,"));
        assertEquals(1, commas.entries().size());
        assertEquals(List.of(2, 3), commas.problems().stream().map(LineProblem::line).toList());
    }

    @Test
    void aMachineIsNamedAfterItsAddress() {
        assertEquals("node-0800090066ad", RbootdConf.nameOf(parsed.entries().get(0).address()));
    }

    @Test
    void linkAddressesTakeTheirFilesSpellingsOnly() {
        assertEquals(Optional.of(HardwareAddress.parse("08:00:09:01:c6:75")), LinkAddresses.colonOctets("8::9:1:C6:75"));
        assertEquals(Optional.empty(), LinkAddresses.colonOctets("08-00-09-01-c6-75"));
        assertEquals(Optional.empty(), LinkAddresses.colonOctets("08:00:09:01:c6"));
        assertEquals(Optional.of(HardwareAddress.parse("08:00:09:12:34:56")), LinkAddresses.twelveDigits("080009123456"));
        assertEquals(Optional.empty(), LinkAddresses.twelveDigits("08000912345"));
    }
}
