package org.diskless.wake.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.karaf.shell.support.CommandException;
import org.diskless.api.HardwareAddress;
import org.diskless.wake.internal.WakePlan;
import org.diskless.wake.internal.WakeTarget;
import org.diskless.wake.internal.Wakeup;
import org.junit.jupiter.api.Test;

class NodesCommandTest {

    private WakePlan plan;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private final Wakeup wakeup = new Wakeup() {
        @Override
        public List<WakeTarget> resolve(List<String> words) {
            return words.stream().map(w -> new WakeTarget(w, HardwareAddress.parse("52:54:00:00:00:01"),
                    Optional.empty(), Optional.empty())).toList();
        }

        @Override
        public void wake(List<WakeTarget> targets, WakePlan given, Consumer<String> progress) {
            plan = given;
            progress.accept("Batch 1 at 10:00:00: woke " + targets.get(0).name());
        }

        @Override
        public Duration kernelWait() {
            return Duration.ofSeconds(300);
        }

        @Override
        public Collection<String> names() {
            return List.of();
        }
    };

    @Test
    void theOptionsBecomeThePlanAndProgressIsPrintedAsItComes() throws Exception {
        NodesCommand command = command();
        command.batch = 4;
        command.interval = 30;
        command.until = "kernel";
        command.force = true;

        command.execute();

        assertEquals(new WakePlan(4, Duration.ofSeconds(30), true, Duration.ofSeconds(300), true), plan);
        assertEquals("Batch 1 at 10:00:00: woke rack1" + System.lineSeparator(),
                printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingIsWoken() {
        NodesCommand command = command();
        command.until = "login";
        assertEquals("--until knows one step: kernel (not 'login')",
                assertThrows(CommandException.class, command::execute).getMessage());
        command.until = null;
        command.batch = 0;
        assertThrows(CommandException.class, command::execute);
        command.batch = 1;
        command.interval = -1;
        assertThrows(CommandException.class, command::execute);
        assertEquals(null, plan);
    }

    private NodesCommand command() {
        NodesCommand command = new NodesCommand();
        command.wakeup = wakeup;
        command.targets = List.of("rack1");
        command.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return command;
    }
}
