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

import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitrdCommandTest {

    @TempDir
    Path base;

    @Test
    void relativePathsAreFromTheKarafBaseAndTheLastLineSaysWhatWasWritten() throws Exception {
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
        CommandException e = assertThrows(CommandException.class, command::execute);
        assertEquals("No image written: " + base.resolve("root") + " is not a directory", e.getMessage());
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
