package org.diskless.dhcp.internal;

import static org.diskless.dhcp.codec.DhcpMessageType.ACK;
import static org.diskless.dhcp.codec.DhcpMessageType.OFFER;
import static org.diskless.dhcp.internal.DhcpFixture.LAB;
import static org.diskless.dhcp.internal.DhcpFixture.discover;
import static org.diskless.dhcp.internal.DhcpFixture.ip;
import static org.diskless.dhcp.internal.DhcpFixture.mac;
import static org.diskless.dhcp.internal.DhcpFixture.only;
import static org.diskless.dhcp.internal.DhcpFixture.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diskless.api.ClientArchitecture;
import org.diskless.api.boot.BootContext;
import org.diskless.api.boot.BootProtocol;
import org.diskless.dhcp.codec.DhcpDecoder;
import org.diskless.dhcp.codec.DhcpEncoder;
import org.diskless.dhcp.codec.DhcpMessage;
import org.diskless.dhcp.codec.DhcpMessageType;
import org.diskless.dhcp.codec.DhcpOptions;
import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Options per kind of client: what a class matches, what it leaves out and sets, and what it may not touch. */
class ClientClassTest {

    private static final String HTTP_URL = "http://192.0.2.1/grub/grubnetx64.efi";
    private static final Map<String, Object> BOOT = settings("unknownClients", "allow", "bootFile.http64", HTTP_URL,
            "bootFile.efi64", "grub/grubnetx64.efi");

    private static ClientClass parse(Object... keysAndValues) throws InvalidSettingException {
        return ClientClass.parse("test", Config.of(DhcpFixture.settings(keysAndValues)));
    }

    /** GRUB 2.06's HTTP boot stops at grub> when the ACK carries option 6: the documented example. */
    private static ClientClass grubHttp() throws InvalidSettingException {
        return parse("name", "grub-http", "architecture", "16", "remove", "6");
    }

    private static DhcpMessage.Builder httpClient(DhcpMessageType type, int n) {
        return DhcpFixture.message(type, mac(n)).options(o -> o
                .vendorClassIdentifier("HTTPClient:Arch:00016:UNDI:003000")
                .clientArchitectures(List.of(ClientArchitecture.HTTP_X64))
                .parameterRequestList(1, 3, 6, 15, 43, 60, 66, 67));
    }

    private static DhcpMessage.Builder uefiPxe(int n) {
        return discover(mac(n)).options(o -> o
                .vendorClassIdentifier("PXEClient:Arch:00007:UNDI:003000")
                .clientArchitectures(List.of(ClientArchitecture.EFI_X64))
                .parameterRequestList(1, 3, 6, 15, 43, 60, 66, 67));
    }

    @Test
    void anHttpBootClientOfTheClassGetsNoDnsServerWhileOtherClientsKeepIt() throws InvalidSettingException {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).withClass(grubHttp()).start();

        DhcpMessage offer = only(OFFER, f.handle(httpClient(DhcpMessageType.DISCOVER, 1).build())).reply();
        f.handle(httpClient(DhcpMessageType.REQUEST, 1).options(o -> o
                .requestedIpAddress(offer.yiaddr()).serverIdentifier(DhcpFixture.SERVER)).build());
        f.leases.completeNext();
        f.loop.runPending();
        DhcpMessage ack = only(ACK, f.sent().subList(1, f.sent().size())).reply();
        DhcpMessage other = only(OFFER, f.handle(uefiPxe(2).build())).reply();

        assertFalse(offer.options().contains(DhcpOptions.DOMAIN_NAME_SERVER), offer.toString());
        assertFalse(ack.options().contains(DhcpOptions.DOMAIN_NAME_SERVER), ack.toString());
        assertEquals(HTTP_URL, ack.bootFileName(), "the rest of the answer is the server's");
        assertEquals(Optional.of("lab.example"), ack.options().domainName());
        assertEquals(List.of(ip("192.0.2.53")), other.options().domainNameServers(), "another kind of client");
    }

    @Test
    void theTailoredReplyIsWhatGoesOnTheWire() throws InvalidSettingException {
        DhcpFixture f = new DhcpFixture(BOOT, LAB).withClass(parse("vendorClass", "HTTPClient", "remove", "6, 15",
                "option.66", "boot.example", "option.6", "192.0.2.60, 192.0.2.61",
                "option.43", "hex:01:04:c0:00:02:01")).start();
        DhcpMessage offer = only(OFFER, f.handle(httpClient(DhcpMessageType.DISCOVER, 1).build())).reply();

        ByteBuf wire = DhcpEncoder.encode(ByteBufAllocator.DEFAULT, offer, DhcpEncoder.ETHERNET_MAX_PAYLOAD);
        DhcpMessage decoded;
        try {
            decoded = DhcpDecoder.decode(wire);
        } finally {
            wire.release();
        }

        assertEquals(List.of(ip("192.0.2.60"), ip("192.0.2.61")), decoded.options().domainNameServers(),
                "set after the removal: the class's own value");
        assertFalse(decoded.options().contains(DhcpOptions.DOMAIN_NAME));
        assertEquals(Optional.of("boot.example"), decoded.options().tftpServerName());
        assertArrayEquals(new byte[] {1, 4, (byte) 192, 0, 2, 1}, decoded.options().vendorSpecific().orElseThrow());
    }

    @Test
    void everyCriterionTheClassSetsMustMatch() throws InvalidSettingException {
        ClientClass ipxeOnUefi = parse("architecture", "7", "userClass", "iPXE", "remove", "6");
        DhcpFixture f = new DhcpFixture(BOOT, LAB).withClass(ipxeOnUefi).start();

        DhcpMessage firmware = only(OFFER, f.handle(uefiPxe(1).build())).reply();
        DhcpMessage ipxe = only(OFFER, f.handle(uefiPxe(2).options(o -> o.userClasses("iPXE")).build())).reply();
        DhcpMessage ipxeAlt = only(OFFER, f.handle(uefiPxe(3).options(o -> o.userClasses("iPXE")
                .clientArchitectures(List.of(ClientArchitecture.EFI_X64_ALT))).build())).reply();

        assertTrue(firmware.options().contains(DhcpOptions.DOMAIN_NAME_SERVER), "no iPXE user class");
        assertFalse(ipxe.options().contains(DhcpOptions.DOMAIN_NAME_SERVER));
        assertFalse(ipxeAlt.options().contains(DhcpOptions.DOMAIN_NAME_SERVER), "9 is x64 UEFI as 7 is");
    }

    @Test
    void aReplyNoClassAppliesToIsLeftAsTheSameObject() throws InvalidSettingException {
        DhcpClient client = new DhcpClient(uefiPxe(1).build(), DhcpFixture.to("0.0.0.0", 68), mac(1), "id",
                Optional.empty(), Optional.empty(), BootContext.of(BootProtocol.DHCP, DhcpFixture.to("0.0.0.0", 68))
                .withArchitecture(ClientArchitecture.EFI_X64), true);
        DhcpMessage reply = DhcpMessage.replyTo(client.request()).options(o -> o.messageType(DhcpMessageType.OFFER))
                .build();

        assertTrue(reply == ClientClass.tailor(List.of(grubHttp()), client, reply), "a UEFI PXE client is not HTTP");
        DhcpMessage nak = DhcpMessage.replyTo(client.request()).options(o -> o.messageType(DhcpMessageType.NAK)).build();
        assertTrue(nak == ClientClass.tailor(List.of(parse("architecture", "7", "remove", "56")), client, nak),
                "a NAK is not tailored");
    }

    @Test
    void badClassesAreRefusedWithTheKeyToFix() {
        Map<String, Object[]> refusals = Map.of(
                "architecture", new Object[] {"remove", "6"},
                "remove", new Object[] {"architecture", "16"},
                "option.53", new Object[] {"architecture", "16", "option.53", "hex:05"},
                "option.6", new Object[] {"architecture", "16", "option.6", "dns.example"});
        for (Map.Entry<String, Object[]> refusal : refusals.entrySet()) {
            InvalidSettingException refused = assertThrows(InvalidSettingException.class, () -> parse(refusal.getValue()),
                    refusal.getKey());
            assertEquals(refusal.getKey(), refused.key());
        }
        assertEquals("remove", assertThrows(InvalidSettingException.class,
                () -> parse("architecture", "16", "remove", "54")).key(), "the server identifier belongs to the exchange");
        assertEquals("option.43", assertThrows(InvalidSettingException.class,
                () -> parse("architecture", "16", "option.43", "hex:xyz")).key());
    }
}
