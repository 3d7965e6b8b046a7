package org.diskless.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

import org.junit.jupiter.api.Test;

class BootEndpointTest {

    @Test
    void listeningEverywhereTheUrlNamesTheClientsBootServer() throws Exception {
        BootEndpoint endpoint = new BootEndpoint(new InetSocketAddress("0.0.0.0", 8080));
        assertEquals(URI.create("http://192.0.2.1:8080/"), endpoint.baseUrl(InetAddress.getByName("192.0.2.1")));
    }

    @Test
    void listeningEverywhereItNamesNoAddressOfItsOwn() {
        assertEquals(java.util.Optional.empty(), new BootEndpoint(new InetSocketAddress("0.0.0.0", 8080)).address());
        assertEquals(8080, new BootEndpoint(new InetSocketAddress("0.0.0.0", 8080)).port());
    }

    @Test
    void listeningOnOneAddressTheUrlNamesIt() throws Exception {
        BootEndpoint endpoint = new BootEndpoint(new InetSocketAddress("198.18.0.1", 8081));
        assertEquals(URI.create("http://198.18.0.1:8081/images/vmlinuz"),
                endpoint.url(InetAddress.getByName("192.0.2.1"), "/images/vmlinuz"));
    }

    @Test
    void aPathIsPercentEncodedExceptItsSlashes() throws Exception {
        BootEndpoint endpoint = new BootEndpoint(new InetSocketAddress("0.0.0.0", 8080));
        assertEquals("http://192.0.2.1:8080/EFI/boot%20dir/grub%C3%A9.efi",
                endpoint.url(InetAddress.getByName("192.0.2.1"), "EFI/boot dir/grubé.efi").toString());
    }
}
