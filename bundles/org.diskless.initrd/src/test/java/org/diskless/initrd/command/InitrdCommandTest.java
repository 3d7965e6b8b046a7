package org.diskless.initrd.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitrdCommandTest {

    @TempDir
    Path base;

    @Test
    void relativePathsAreFromTheKarafBaseAndTheLastLineSaysWhatWasWritten() throws IOException {
        Files.createDirectories(base.resolve("root/bin"));
        Files.writeString(base.resolve("root/init"), "#!/bin/sh\n");
        Files.createSymbolicLink(base.resolve("root/bin/sh"), Path.of("busybox"));
        Files.createDirectories(base.resolve("tftpboot/images"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        InitrdCommand command = command(printed);

        command.execute();

        Path image = base.resolve("tftpboot/images/initrd.gz");
        assertTrue(Files.isRegularFile(image));
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Wrote " + image + ": 3 entries (1 file, 1 symbolic link, 0 device nodes), "),
                text);
        assertTrue(text.strip().endsWith("compressed"), text);
    }

    @Test
    void aMissingSourceIsAnErrorThatNamesIt() {
        InitrdCommand command = command(new ByteArrayOutputStream());
        IOException e = assertThrows(IOException.class, command::execute);
        assertEquals(base.resolve("root") + " is not a directory", e.getMessage());
    }

    @Test
    void sizesReadAsAnOperatorWritesThem() {
        assertEquals("512 B", InitrdCommand.size(512));
        assertEquals("1.5 KiB", InitrdCommand.size(1536));
        assertEquals("8.0 MiB", InitrdCommand.size(8L << 20));
    }

    private InitrdCommand command(ByteArrayOutputStream printed) {
        InitrdCommand command = new InitrdCommand();
        command.source = "root";
        command.output = "tftpboot/images/initrd.gz";
        command.base = base;
        command.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return command;
    }
}
