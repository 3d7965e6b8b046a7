package org.diskless.nodes.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.diskless.api.nodes.Node;
import org.diskless.api.nodes.NodeDirectory;
import org.diskless.api.nodes.NodeEditException;
import org.diskless.api.nodes.NodeEditor;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The inventory's {@link NodeEditor}: what {@code nodes:add} and {@code nodes:remove} do, as a service. */
@Component(service = NodeEditor.class)
public final class NodeEditorComponent implements NodeEditor {

    private final NodeEditing editing;
    private final NodeDirectory directory;

    @Activate
    public NodeEditorComponent(@Reference ConfigurationAdmin configurationAdmin, @Reference NodeDirectory directory) {
        this.editing = new NodeEditing(configurationAdmin, NodeConfigurations.karafEtc(), Clock.systemUTC());
        this.directory = directory;
    }

    /** Returns once the directory serves the node (bounded), so that a caller listing nodes next sees it. */
    @Override
    public Node add(Map<String, ?> settings) throws NodeEditException, IOException {
        Node node = editing.add(settings).node();
        Served.await(directory, List.of(node), Served.DEFAULT_WAIT);
        return node;
    }

    @Override
    public Node change(String name, Map<String, ?> settings) throws NodeEditException, IOException {
        return editing.change(name, settings);
    }

    @Override
    public void remove(String name) throws NodeEditException, IOException {
        editing.remove(name);
    }
}
