package org.diskless.bench.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LoaderConfigTest {

    @Test
    void kernelThenRamDiskEachByTheWayTheConfigurationSays() throws Exception {
        LoaderConfig config = LoaderConfig.parse("""
                # the storm's loader
                INITRD initrd.img
                kernel vmlinuz
                MTFTP initrd.img 233.252.0.3 1758 1759 2 4   # multicast
                """.getBytes(StandardCharsets.US_ASCII));

        assertEquals(List.of("vmlinuz", "initrd.img"), config.files());
        assertEquals(Optional.empty(), config.channel("vmlinuz"));
        MtftpChannel initrd = config.channel("initrd.img").orElseThrow();
        assertEquals(InetAddress.getByName("233.252.0.3"), initrd.group());
        assertEquals(4, initrd.reopenDelaySeconds());
    }

    @Test
    void mistakesNameTheLine() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> LoaderConfig.parse("KERNEL a\nAPPEND x\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("line 2: unknown keyword APPEND", unknown.getMessage());

        IllegalArgumentException unicastGroup = assertThrows(IllegalArgumentException.class,
                () -> LoaderConfig.parse("KERNEL a\nMTFTP a 198.18.0.1 1758 1759 2 4\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("line 2: 198.18.0.1 is not an IPv4 multicast group", unicastGroup.getMessage());

        assertThrows(IllegalArgumentException.class, () -> LoaderConfig.parse("# nothing\n".getBytes(StandardCharsets.US_ASCII)));
    }
}
