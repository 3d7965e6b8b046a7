package org.diskless.api.files;

import org.diskless.api.boot.BootContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Turns the name a client asked for into a file it may read, inside the boot root only. Every
 * protocol that serves files (TFTP, MTFTP, RMP, HTTP) goes through this service, so jail rules,
 * generated files and per-node resolution are the same for all of them.
 */
@ProviderType
public interface BootFileResolver {

    /**
     * @param path    the name as the client sent it; {@code \} is taken as {@code /} and a leading
     *                {@code /} means the boot root
     * @param context who is asking
     * @return a readable file whose size is known before the transfer starts
     * @throws BootFileException with the reason the client gets (not found, outside the root, …)
     */
    BootFile resolve(String path, BootContext context) throws BootFileException;

    /**
     * Starts an upload that becomes visible under {@code path} only when committed, replacing
     * nothing unless {@code replace} is set.
     *
     * @throws BootFileException when the name is refused or exists and {@code replace} is false
     */
    BootFileUpload createUpload(String path, BootContext context, boolean replace) throws BootFileException;
}
