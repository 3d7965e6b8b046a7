package org.diskless.mtftp.internal;

import java.util.Optional;

/** Where each file configuration goes once checked: the server decides which files it serves ({@link FileTable}). */
public interface FileRegistry {

    /** @return why the configuration is not served, when it is not */
    Optional<String> put(String pid, FileSettings settings);

    void remove(String pid);
}
