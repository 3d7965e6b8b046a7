package org.diskless.nfsroot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diskless.nfsroot.internal.ClientSpec.Kind;
import org.junit.jupiter.api.Test;

/**
 * Tricky exports files, read as exportfs (nfs-utils 2.6.2) read them: each expectation below was
 * what its {@code exportfs -ra} put in its export table for the same text.
 */
class ExportsFileTest {

    private static ExportsFile.Parsed parse(String text) {
        return ExportsFile.parse("/etc/exports", text);
    }

    /** Each entry as {@code path client ro|rw squash|no_squash}, to compare whole files at a glance. */
    private static List<String> summary(ExportsFile.Parsed parsed) {
        return parsed.entries().stream().map(e -> e.path() + " " + e.client() + " " + (e.options().readOnly() ? "ro" : "rw")
                + " " + (e.options().rootSquash() ? "squash" : "no_squash")).toList();
    }

    @Test
    void commentsContinuationsAndTheDefaultsExportfsApplies() {
        ExportsFile.Parsed parsed = parse("""
                # a comment
                /export/root/a   192.0.2.21(rw,no_root_squash,sync) \\
                    192.0.2.0/24   # a trailing comment
                   /export/b\t192.0.2.5(rw) 192.0.2.6#x(rw) #x(rw) 192.0.2.7(rw)
                """);
        assertEquals(List.of("/export/root/a 192.0.2.21 rw no_squash", "/export/root/a 192.0.2.0/24 ro squash",
                "/export/b 192.0.2.5 rw squash", "/export/b 192.0.2.6#x rw squash"), summary(parsed),
                "'#' inside a word is part of it (a host name here); at the start of one it starts a comment");
        assertEquals("/etc/exports:3", parsed.entries().get(1).source(), "the line the client is on");
        assertEquals(List.of(), parsed.notes());
    }

    @Test
    void quotedPathsAndOctalEscapesKeepSpacesAndHashes() {
        ExportsFile.Parsed parsed = parse("""
                "/export/with space" 192.0.2.1(rw)
                /export/oct\\040al *(rw)
                "/export/a#b" "192.0.2.2"(rw)
                """);
        assertEquals(List.of("/export/with space 192.0.2.1 rw squash", "/export/oct al * rw squash",
                "/export/a#b 192.0.2.2 rw squash"), summary(parsed));
    }

    @Test
    void defaultOptionsAddUpAndTheWordAfterThemIsAlwaysAClient() {
        ExportsFile.Parsed parsed = parse("""
                /export/m -ro 192.0.2.24(rw) -rw,no_root_squash 192.0.2.25 192.0.2.26(ro)
                /export/n -no_root_squash 192.0.2.27 -rw 192.0.2.28
                /export/o -no_root_squash -rw 192.0.2.29
                """);
        assertEquals(List.of("/export/m 192.0.2.24 rw squash", "/export/m 192.0.2.25 rw no_squash",
                "/export/m 192.0.2.26 ro no_squash", "/export/n 192.0.2.27 ro no_squash",
                "/export/n 192.0.2.28 rw no_squash", "/export/o -rw ro no_squash", "/export/o 192.0.2.29 ro no_squash"),
                summary(parsed));
        assertEquals(Kind.HOST, parsed.entries().get(5).client().kind(), "'-rw' right after defaults is a host name");
    }

    @Test
    void aPathWithoutAClientAndASpaceBeforeOptionsExportToEveryone() {
        ExportsFile.Parsed parsed = parse("""
                /export/bare
                /export/trap 192.0.2.23 (rw)
                /export/defaults -rw
                """);
        assertEquals(List.of("/export/bare (every host) ro squash", "/export/trap 192.0.2.23 ro squash",
                "/export/trap (every host) rw squash", "/export/defaults (every host) rw squash"), summary(parsed));
        assertEquals(Kind.ANONYMOUS, parsed.entries().get(2).client().kind());
    }

    @Test
    void aBadOptionListEndsTheReadingOfTheFileLikeExportfs() {
        ExportsFile.Parsed parsed = parse("""
                /export/a 192.0.2.1(rw)
                /export/b 192.0.2.2(rw) 192.0.2.8( rw , no_root_squash) 192.0.2.9(rw)
                /export/c 192.0.2.3(rw)
                """);
        assertEquals(List.of("/export/a 192.0.2.1 rw squash", "/export/b 192.0.2.2 rw squash"), summary(parsed));
        assertEquals(1, parsed.notes().size());
        assertTrue(parsed.notes().get(0).startsWith("/etc/exports:2: a bad option list in '192.0.2.8('"),
                parsed.notes().get(0));
        assertTrue(parsed.notes().get(0).contains("nothing from there on is exported"), parsed.notes().get(0));
    }

    @Test
    void anOptionListSplitByAContinuationOrFollowedByTextIsBadToo() {
        assertEquals(List.of(), parse("/export/a 192.0.2.4(rw,\\\n  no_root_squash)\n/export/b 192.0.2.5(rw)\n").entries());
        assertEquals(List.of(), parse("/export/a 192.0.2.4(rw)(ro)\n").entries());
        assertEquals(List.of(), parse("/export/a 192.0.2.4(rw)#c\n").entries(), "'#' glued to ')' is text after it");
    }

    @Test
    void anUnknownOrEmptyOptionEndsTheReadingOfTheFile() {
        ExportsFile.Parsed unknown = parse("/export/a 192.0.2.1(rw,bogus) 192.0.2.2(rw)\n/export/b 192.0.2.3(rw)\n");
        assertEquals(List.of(), unknown.entries());
        assertTrue(unknown.notes().get(0).contains("unknown option 'bogus'"), unknown.notes().toString());
        assertEquals(List.of(), parse("/export/a 192.0.2.1(rw,,no_root_squash)\n").entries());
        assertEquals(List.of(), parse("/export/a -bogus 192.0.2.1\n").entries(), "in default options too");
        assertEquals(1, parse("/export/a 192.0.2.1(fsid=0,anonuid=65534,sec=sys:krb5,mp,crossmnt,insecure)\n")
                .entries().size(), "options it knows, with and without values");
    }

    @Test
    void aContinuationIntoACommentEndsTheEntry() {
        ExportsFile.Parsed parsed = parse("/export/m 192.0.2.5(rw) \\\n# a comment\n 192.0.2.6(rw)\n");
        assertEquals(List.of("/export/m 192.0.2.5 rw squash", "192.0.2.6(rw) (every host) ro squash"), summary(parsed),
                "the next line is an entry of its own, its 'path' a client: exportfs too");
    }

    @Test
    void theSameClientOfTheSamePathTwiceTakesTheFirst() {
        ExportsFile.Parsed parsed = parse("/export/a 192.0.2.21(ro) 192.0.2.21(rw,no_root_squash)\n");
        assertEquals(List.of("/export/a 192.0.2.21 ro squash"), summary(parsed));
        assertTrue(parsed.notes().get(0).contains("on an earlier line: that one counts"), parsed.notes().toString());
    }

    @Test
    void clientsOfEveryKind() {
        ExportsFile.Parsed parsed = parse("/export/a *(rw) foo.example(ro) @ng(rw) [a-z]*(ro) 2001:db8::/64(rw)"
                + " 192.0.2.0/33(rw) 192.0.2.0/255.255.255.0 192.0.2.05 gss/krb5\n");
        assertEquals(List.of(Kind.ANONYMOUS, Kind.HOST, Kind.NETGROUP, Kind.WILDCARD, Kind.NETWORK, Kind.INVALID,
                Kind.NETWORK, Kind.HOST, Kind.HOST), parsed.entries().stream().map(e -> e.client().kind()).toList());
        assertTrue(parsed.notes().get(0).contains("'192.0.2.0/33' is no network exportfs accepts"), parsed.notes().toString());
    }

    @Test
    void whatAClientEntryNamesIsDecidedOnlyWithoutLookups() {
        var node = Lab.ipv4("192.0.2.21");
        assertEquals(ClientSpec.Match.YES, ClientSpec.of("192.0.2.21").matches(node));
        assertEquals(ClientSpec.Match.NO, ClientSpec.of("192.0.2.22").matches(node));
        assertEquals(ClientSpec.Match.YES, ClientSpec.of("192.0.2.0/24").matches(node));
        assertEquals(ClientSpec.Match.YES, ClientSpec.of("192.0.2.16/255.255.255.240").matches(node));
        assertEquals(ClientSpec.Match.YES, ClientSpec.of("192.0.2.5/24").matches(node), "host bits are masked off");
        assertEquals(ClientSpec.Match.NO, ClientSpec.of("192.0.2.0/28").matches(node));
        assertEquals(ClientSpec.Match.YES, ClientSpec.of("*").matches(node));
        assertEquals(ClientSpec.Match.NO, ClientSpec.of("2001:db8::1").matches(node));
        assertEquals(ClientSpec.Match.NO, ClientSpec.of("2001:db8::/64").matches(node));
        for (String undecided : List.of("node01", "node01.lab.example", "*.lab.example", "node0?", "@diskless",
                "192.0.2.021", "3221225985", "192.0.2.300")) {
            assertEquals(ClientSpec.Match.UNKNOWN, ClientSpec.of(undecided).matches(node), undecided);
        }
        assertEquals(ClientSpec.Match.YES, ClientSpec.of("192.0.2.0/23").covers(Lab.LAN));
        assertEquals(ClientSpec.Match.NO, ClientSpec.of("192.0.2.0/25").covers(Lab.LAN), "half the subnet is not all");
        assertEquals(ClientSpec.Match.NO, ClientSpec.of("192.0.2.21").covers(Lab.LAN));
        assertFalse(ClientSpec.of("192.0.2.21").admitsOthersThan(node));
        assertFalse(ClientSpec.of("192.0.2.21/32").admitsOthersThan(node));
        assertFalse(ClientSpec.of("node01").admitsOthersThan(node), "a name may be the node itself");
        assertTrue(ClientSpec.of("192.0.2.0/24").admitsOthersThan(node));
    }
}
