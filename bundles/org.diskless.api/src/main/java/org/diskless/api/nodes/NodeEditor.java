package org.diskless.api.nodes;

import java.io.IOException;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Changes the node inventory the way {@code nodes:add} and {@code nodes:remove} do: the same
 * checks, the same file per node in {@code etc/}. For tools and APIs that edit nodes without a
 * console; readers use {@link NodeDirectory}.
 *
 * <p>Settings are the keys of a node file ({@code name}, {@code mac}, {@code address},
 * {@code uuid}, {@code architecture}, {@code group}, {@code hardwareContexts}, {@code bootFiles} as
 * {@code role=path} entries), valued as text, whole numbers or lists of text.
 */
@ProviderType
public interface NodeEditor {

    /**
     * Adds the node {@code settings} describe and writes its file.
     *
     * @return the node as added
     * @throws NodeEditException {@link NodeEditException.Reason#INVALID} naming the setting that is
     *                           wrong, or {@link NodeEditException.Reason#TAKEN} when another node
     *                           holds its name, MAC or address; nothing is written then
     */
    Node add(Map<String, ?> settings) throws NodeEditException, IOException;

    /**
     * Replaces every setting of the node named {@code name} with {@code settings} (which name it
     * too; a node is renamed by removing and adding it), in its file.
     *
     * @throws NodeEditException {@link NodeEditException.Reason#UNKNOWN} when there is no such node,
     *                           else as {@link #add}
     */
    Node change(String name, Map<String, ?> settings) throws NodeEditException, IOException;

    /**
     * Removes the node named {@code name} and its file.
     *
     * @throws NodeEditException {@link NodeEditException.Reason#UNKNOWN} when there is no such node
     */
    void remove(String name) throws NodeEditException, IOException;
}
