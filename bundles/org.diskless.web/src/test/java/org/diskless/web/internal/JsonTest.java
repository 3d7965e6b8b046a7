package org.diskless.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.HardwareAddress;
import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootEvent.Kind;
import org.diskless.api.boot.BootProtocol;
import org.diskless.api.leases.Lease;
import org.diskless.api.network.BootNetwork;
import org.diskless.api.network.PoolUsage;
import org.diskless.api.nodes.Node;
import org.diskless.api.stats.TransferInFlight;
import org.diskless.api.stats.TransfersInFlight;
import org.diskless.api.timeline.RecordedBoot;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class JsonTest {

    static final HardwareAddress MAC = HardwareAddress.parse("52:54:00:12:34:56");
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aNodeIsWrittenWithTheFieldsOfTheApi() throws Exception {
        Node node = Node.builder("pc01", MAC).address(ip("192.0.2.10"))
                .uuid(UUID.fromString("4c4c4544-0042-3510-8052-b4c04f4b4d31")).architecture(ClientArchitecture.EFI_X64)
                .group("rack1").bootFile("kernel", "vmlinuz").bootFile("initrd", "initrd.gz").build();

        assertEquals(JsonParser.parseString("""
                {"name":"pc01","mac":"52:54:00:12:34:56","address":"192.0.2.10",
                 "uuid":"4c4c4544-0042-3510-8052-b4c04f4b4d31","architecture":7,"group":"rack1",
                 "hardwareContexts":[],"bootFiles":{"initrd":"initrd.gz","kernel":"vmlinuz"}}"""), Json.node(node));
    }

    @Test
    void aNodeSentIsTurnedIntoTheSettingsOfANodeFile() throws Exception {
        Map<String, Object> settings = Json.nodeSettings(JsonParser.parseString("""
                {"name":"pc01","mac":"52:54:00:12:34:56","architecture":7,"group":null,
                 "hardwareContexts":["HP-MC68020"],"bootFiles":{"kernel":"vmlinuz","append":"console=ttyS0,115200"}}"""));

        assertEquals("pc01", settings.get("name"));
        assertEquals(7, settings.get("architecture"));
        assertTrue(!settings.containsKey("group"), "null is the same as absent");
        assertArrayEquals(new String[] {"HP-MC68020"}, (String[]) settings.get("hardwareContexts"));
        assertArrayEquals(new String[] {"kernel=vmlinuz", "append=console=ttyS0,115200"},
                (String[]) settings.get("bootFiles"), "one entry each, so that a value may hold a comma");
    }

    @Test
    void aFieldOfTheWrongShapeIsRefusedByName() {
        assertEquals("mac", refused("{\"name\":\"pc01\",\"mac\":5}"));
        assertEquals("architecture", refused("{\"architecture\":\"x64\"}"));
        assertEquals("architecture", refused("{\"architecture\":7.5}"));
        assertEquals("hardwareContexts", refused("{\"hardwareContexts\":\"HP\"}"));
        assertEquals("bootFiles", refused("{\"bootFiles\":[\"kernel=vmlinuz\"]}"));
        assertEquals("bootFiles", refused("{\"bootFiles\":{\"kernel=x\":\"vmlinuz\"}}"));
        assertEquals("colour", refused("{\"colour\":\"red\"}"), "an unknown field is refused, not dropped");
        assertEquals("body", refused("[1,2]"));
    }

    @Test
    void bodiesThatAreNotJsonAreRefused() {
        BadRequest e = assertThrows(BadRequest.class, () -> Json.parse("{\"name\": "));
        assertEquals("body", e.field());
        assertEquals("not JSON: End of input at line 1 column 10 path $.name", e.getMessage(), "no class names");
    }

    private static String refused(String json) {
        return assertThrows(BadRequest.class, () -> Json.nodeSettings(Json.parse(json))).field();
    }

    @Test
    void aBootListsItsEventsTimedFromItsStartWithItsFailuresMarked() {
        Node node = Node.builder("pc01", MAC).bootFile("kernel", "vmlinuz").build();
        BootEvent discover = BootEvent.builder(T0, BootProtocol.DHCP, Kind.DISCOVER, ip("0.0.0.0"))
                .hardwareAddress(MAC).detail("arch 0").build();
        BootEvent refused = BootEvent.builder(T0.plusMillis(1500), BootProtocol.TFTP, Kind.FILE_REFUSED,
                ip("192.0.2.10")).detail("vmlinuz: file not found\u001b[2J").build();
        RecordedBoot boot = RecordedBoot.builder(T0, refused.time()).events(List.of(discover, refused))
                .failures(List.of(refused)).build();

        JsonObject json = Json.boot(node, boot);

        assertEquals("failed", json.get("stage").getAsString());
        assertEquals("TFTP FILE_REFUSED: vmlinuz: file not found\\x1b[2J", json.get("reason").getAsString(),
                "network text is escaped");
        JsonObject second = json.getAsJsonArray("events").get(1).getAsJsonObject();
        assertEquals(1500, second.get("at").getAsLong());
        assertEquals(true, second.get("failure").getAsBoolean());
        assertEquals(false, json.getAsJsonArray("events").get(0).getAsJsonObject().get("failure").getAsBoolean());
    }

    @Test
    void leasesAreGroupedByTheNetworkTheyAreInWithItsPool() {
        BootNetwork lab = BootNetwork.builder("lab", (java.net.Inet4Address) ip("192.0.2.0"), 24).build();
        Lease in = Lease.of("01525400123456", MAC, (java.net.Inet4Address) ip("192.0.2.50"), T0,
                T0.plus(Duration.ofHours(1)), Lease.State.BOUND);
        Lease out = Lease.of("01525400123457", HardwareAddress.parse("52:54:00:12:34:57"),
                (java.net.Inet4Address) ip("198.51.100.7"), T0, T0.plusSeconds(60), Lease.State.BOUND);

        PoolUsage pool = PoolUsage.builder("lab", "192.0.2.0/24", 50).ranges(List.of("192.0.2.100-192.0.2.149"))
                .bound(1).free(49).build();
        var json = Json.leasesByNetwork(List.of(lab), List.of(pool), List.of(out, in), T0.plusSeconds(120));

        assertEquals("192.0.2.0/24", json.get(0).getAsJsonObject().get("subnet").getAsString());
        assertEquals(JsonParser.parseString("{\"ranges\":[\"192.0.2.100-192.0.2.149\"],\"size\":50,\"bound\":1,"
                + "\"offered\":0,\"declined\":0,\"free\":49}"), json.get(0).getAsJsonObject().get("pool"));
        JsonObject lease = json.get(0).getAsJsonObject().getAsJsonArray("leases").get(0).getAsJsonObject();
        assertEquals("192.0.2.50", lease.get("address").getAsString());
        assertEquals(true, lease.get("active").getAsBoolean());
        JsonObject other = json.get(1).getAsJsonObject();
        assertEquals("other", other.get("name").getAsString());
        assertEquals(false, other.getAsJsonArray("leases").get(0).getAsJsonObject().get("active").getAsBoolean());
    }

    @Test
    void transfersOfEveryProtocolAreListedOldestFirstWithTheirSizeWhenKnown() {
        TransfersInFlight tftp = new TransfersInFlight() {
            @Override
            public BootProtocol protocol() {
                return BootProtocol.TFTP;
            }

            @Override
            public List<TransferInFlight> transfers() {
                return List.of(TransferInFlight.builder(BootProtocol.TFTP, "192.0.2.10:2070", "vmlinuz", T0.plusSeconds(5))
                        .bytesSent(1024).size(8192).build());
            }
        };
        TransfersInFlight mtftp = new TransfersInFlight() {
            @Override
            public BootProtocol protocol() {
                return BootProtocol.MTFTP;
            }

            @Override
            public List<TransferInFlight> transfers() {
                return List.of(TransferInFlight.builder(BootProtocol.MTFTP, "192.0.2.11:2071", "initrd.gz", T0)
                        .bytesSent(4096).build());
            }
        };

        var json = Json.transfers(List.of(tftp, mtftp));

        assertEquals(JsonParser.parseString("""
                [{"protocol":"MTFTP","client":"192.0.2.11:2071","file":"initrd.gz","bytesSent":4096,
                  "started":"2026-12-07T10:00:00Z"},
                 {"protocol":"TFTP","client":"192.0.2.10:2070","file":"vmlinuz","bytesSent":1024,"size":8192,
                  "started":"2026-12-07T10:00:05Z"}]"""), json);
    }

    @Test
    void errorsNameTheField() {
        assertEquals(JsonParser.parseString("{\"error\":\"bad\",\"field\":\"mac\"}"), Json.error("mac", "bad"));
        assertEquals(JsonParser.parseString("{\"error\":\"bad\"}"), Json.error(null, "bad"));
    }
}
