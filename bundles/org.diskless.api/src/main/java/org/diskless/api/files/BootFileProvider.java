package org.diskless.api.files;

import java.util.Optional;

import org.diskless.api.boot.BootContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: generates files that do not exist in the tree, such as a node's pxelinux config or
 * iPXE script. Files in the tree win over generated ones; among providers the highest
 * {@code service.ranking} asks first.
 */
@ConsumerType
public interface BootFileProvider {

    /**
     * @param path the normalised path inside the boot root ({@code /}-separated, no leading
     *             {@code /}, already checked against the jail rules)
     * @return the content for this client, or empty when this provider does not make that file;
     *         the array is not modified after it is returned
     */
    Optional<byte[]> generate(String path, BootContext context);
}
