package org.diskless.dhcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

import org.junit.jupiter.api.Test;

/** One subnet's dynamic addresses: never-used first, none twice, exhaustion reported. */
class AddressPoolTest {

    private static AddressPool pool(String... ranges) throws InvalidSettingException {
        return new AddressPool(Subnet.parse("lab",
                Config.of(Map.of("network", "192.0.2.0/24", "range", String.join(",", ranges)))));
    }

    private static int at(String dotted) {
        return Addresses.toInt(Addresses.parse(dotted));
    }

    private static String take(AddressPool pool) {
        OptionalInt free = pool.findFree(a -> true);
        pool.take(free.orElseThrow());
        return Addresses.format(free.getAsInt());
    }

    @Test
    void everyAddressOfEveryRangeIsHandedOutOnceThenThePoolIsExhausted() throws InvalidSettingException {
        AddressPool pool = pool("192.0.2.10-192.0.2.12", "192.0.2.200", "192.0.2.50-192.0.2.51");
        Set<String> handedOut = new HashSet<>();

        for (int i = 0; i < 6; i++) {
            assertTrue(handedOut.add(take(pool)));
        }

        assertEquals(Set.of("192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.50", "192.0.2.51", "192.0.2.200"),
                handedOut);
        assertEquals(6, pool.size());
        assertEquals(6, pool.takenCount());
        assertEquals(OptionalInt.empty(), pool.findFree(a -> true));
    }

    @Test
    void neverUsedAddressesComeBeforeOnesGivenBack() throws InvalidSettingException {
        AddressPool pool = pool("192.0.2.10-192.0.2.13");
        String first = take(pool);
        pool.free(at(first));

        List<String> next = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            next.add(take(pool));
        }

        assertFalse(next.contains(first), next.toString());
        assertEquals(first, take(pool), "only once every never-used one is gone");
    }

    @Test
    void addressesRestoredAsUsedAreNotPreferredButStayFree() throws InvalidSettingException {
        AddressPool pool = pool("192.0.2.10-192.0.2.11");
        pool.markUsed(at("192.0.2.10"));

        assertTrue(pool.isFree(at("192.0.2.10")));
        assertEquals("192.0.2.11", take(pool));
        assertEquals("192.0.2.10", take(pool));
    }

    @Test
    void addressTheCallerRefusesIsSkipped() throws InvalidSettingException {
        AddressPool pool = pool("192.0.2.10-192.0.2.12");
        int reserved = at("192.0.2.11");

        Set<Integer> chosen = new HashSet<>();
        OptionalInt free;
        while ((free = pool.findFree(a -> a != reserved)).isPresent()) {
            pool.take(free.getAsInt());
            chosen.add(free.getAsInt());
        }

        assertEquals(Set.of(at("192.0.2.10"), at("192.0.2.12")), chosen);
    }

    @Test
    void addressesOutsideThePoolAreNeitherContainedNorFree() throws InvalidSettingException {
        AddressPool pool = pool("192.0.2.10-192.0.2.12");

        assertFalse(pool.contains(at("192.0.2.9")));
        assertFalse(pool.isFree(at("192.0.2.13")));
        pool.take(at("192.0.2.13"));
        assertEquals(0, pool.takenCount());
    }

    @Test
    void subnetWithoutRangesHasNothingToOffer() throws InvalidSettingException {
        AddressPool pool = new AddressPool(Subnet.parse("fixed", Config.of(Map.of("network", "192.0.2.0/24"))));

        assertEquals(0, pool.size());
        assertEquals(OptionalInt.empty(), pool.findFree(a -> true));
    }

    private static String take(AddressPool pool, Share share) {
        OptionalInt free = pool.findFree(a -> true, share);
        pool.take(free.orElseThrow());
        return Addresses.format(free.getAsInt());
    }

    @Test
    void aShareIsSearchedFirstThenTheRestSoNoAddressIsLost() throws InvalidSettingException {
        AddressPool pool = pool("192.0.2.10-192.0.2.13", "192.0.2.50-192.0.2.53");
        Share second = new Share(1, 2);

        List<String> handedOut = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            handedOut.add(take(pool, second));
        }

        assertEquals(List.of("192.0.2.50", "192.0.2.51", "192.0.2.52", "192.0.2.53",
                "192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.13"), handedOut);
        assertEquals(OptionalInt.empty(), pool.findFree(a -> true, second));
    }

    @Test
    void serversWithTheirOwnSharesNeverPickTheSameAddressUntilOneShareIsFull() throws InvalidSettingException {
        AddressPool first = pool("192.0.2.10-192.0.2.19");
        AddressPool third = pool("192.0.2.10-192.0.2.19");

        assertEquals("192.0.2.10", take(first, new Share(0, 3)));
        assertEquals("192.0.2.16", take(third, new Share(2, 3)));
        for (int i = 0; i < 2; i++) {
            take(first, new Share(0, 3));
        }
        assertEquals("192.0.2.13", take(first, new Share(0, 3)), "its share 10-12 is full: the next share's first");
        assertEquals(List.of("192.0.2.17", "192.0.2.18", "192.0.2.19"),
                List.of(take(third, new Share(2, 3)), take(third, new Share(2, 3)), take(third, new Share(2, 3))));
    }

    @Test
    void withinItsShareAServerStillPrefersNeverUsedAddresses() throws InvalidSettingException {
        AddressPool pool = pool("192.0.2.10-192.0.2.17");
        Share second = new Share(1, 2);
        String first = take(pool, second);
        pool.free(at(first));

        assertEquals(List.of("192.0.2.15", "192.0.2.16", "192.0.2.17", "192.0.2.14", "192.0.2.10"),
                List.of(take(pool, second), take(pool, second), take(pool, second), take(pool, second),
                        take(pool, second)));
    }

    @Test
    void aShareMustBeOneOfTheServers() {
        assertThrows(IllegalArgumentException.class, () -> new Share(2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Share(0, 0));
    }
}
