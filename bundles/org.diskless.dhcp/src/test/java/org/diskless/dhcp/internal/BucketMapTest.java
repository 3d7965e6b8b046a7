package org.diskless.dhcp.internal;

import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class BucketMapTest {

    private static final Inet4Address A = ip("192.0.2.1");
    private static final Inet4Address B = ip("192.0.2.2");
    private static final Inet4Address C = ip("192.0.2.10");
    private static final Inet4Address HIGH = ip("200.0.0.1");

    @Test
    void twoServersSplitTheBucketsInHalvesByAddress() {
        BucketMap map = new BucketMap(List.of(B, A), Set.of());
        assertEquals(List.of(A, B), map.servers());
        assertEquals(IntStream.range(0, 128).boxed().toList(), map.bucketsOf(A));
        assertEquals(IntStream.range(128, 256).boxed().toList(), map.bucketsOf(B));
    }

    @Test
    void everyServerComputesTheSameMapWhateverOrderItListsThemIn() {
        BucketMap fromA = new BucketMap(List.of(A, C, B), Set.of());
        BucketMap fromC = new BucketMap(List.of(C, B, A), Set.of());
        for (int bucket = 0; bucket < 256; bucket++) {
            assertEquals(fromA.owner(bucket), fromC.owner(bucket));
        }
        assertEquals(List.of(86, 85, 85), List.of(fromA.bucketsOf(A).size(), fromA.bucketsOf(B).size(),
                fromA.bucketsOf(C).size()));
    }

    @Test
    void addressesSortAsUnsignedNumbers() {
        BucketMap map = new BucketMap(List.of(HIGH, A), Set.of());
        assertEquals(List.of(A, HIGH), map.servers(), "200.x is not a negative number");
    }

    @Test
    void theBucketsOfADownServerAreDealtToTheServersThatAreUp() {
        BucketMap map = new BucketMap(List.of(A, B, C), Set.of(B));
        assertTrue(map.bucketsOf(B).isEmpty());
        assertEquals(256, map.bucketsOf(A).size() + map.bucketsOf(C).size());
        assertEquals(86 + 43, map.bucketsOf(A).size(), "B's 85 buckets shared in turn, A first");
        for (int bucket = 0; bucket < 256; bucket++) {
            if (!map.assignedOwner(bucket).equals(B)) {
                assertEquals(map.assignedOwner(bucket), map.owner(bucket), "the survivors keep their own");
            }
        }
    }

    @Test
    void whenEveryServerSeemsDownTheBucketsStayWhereTheyAre() {
        BucketMap map = new BucketMap(List.of(A, B), Set.of(A, B));
        assertEquals(128, map.bucketsOf(A).size());
    }

    @Test
    void bucketsAreDescribedAsRanges() {
        assertEquals("0-127", BucketMap.describe(IntStream.range(0, 128).boxed().toList()));
        assertEquals("1, 3-5, 9", BucketMap.describe(List.of(1, 3, 4, 5, 9)));
        assertEquals("none", BucketMap.describe(List.of()));
    }
}
