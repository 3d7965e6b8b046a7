package org.diskless.nodes.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.console.CommandLine;
import org.diskless.nodes.FakeConfigurationAdmin;
import org.diskless.nodes.internal.NodeConfiguration;
import org.diskless.nodes.internal.NodeDirectoryComponent;
import org.junit.jupiter.api.Test;

class NodeNameCompleterTest {

    private static CommandLine typed(String word) {
        return (CommandLine) Proxy.newProxyInstance(NodeNameCompleterTest.class.getClassLoader(),
                new Class<?>[] {CommandLine.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getCursorArgument" -> word;
                    case "getArgumentPosition" -> word.length();
                    case "getBuffer" -> "nodes:remove " + word;
                    case "getBufferPosition" -> ("nodes:remove " + word).length();
                    case "getArguments" -> new String[] {"nodes:remove", word};
                    case "getCursorArgumentIndex" -> 1;
                    default -> null;
                });
    }

    @Test
    void completesTheNamesOfServedNodes() {
        FakeConfigurationAdmin configurationAdmin = new FakeConfigurationAdmin();
        configurationAdmin.put(NodeConfiguration.FACTORY_PID, Map.of("name", "hp370a", "mac", "08:00:09:01:ab:cd"));
        configurationAdmin.put(NodeConfiguration.FACTORY_PID, Map.of("name", "hp370b", "mac", "08:00:09:01:ab:ce"));
        configurationAdmin.put(NodeConfiguration.FACTORY_PID, Map.of("name", "pc01", "mac", "52:54:00:aa:00:01"));
        NodeNameCompleter completer = new NodeNameCompleter();
        completer.directory = new NodeDirectoryComponent(configurationAdmin.service());
        List<String> candidates = new ArrayList<>();
        completer.complete(null, typed("hp"), candidates);
        assertEquals(List.of("hp370a", "hp370b"), candidates.stream().map(String::trim).sorted().toList());
    }
}
