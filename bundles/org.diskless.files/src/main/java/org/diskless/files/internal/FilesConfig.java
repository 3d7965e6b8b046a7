package org.diskless.files.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.files.cfg}; read through {@link FilesSettings}. */
@ObjectClassDefinition(name = "Diskless boot files",
        description = "The directory every protocol serves boot files from.")
@interface FilesConfig {

    @AttributeDefinition(name = "Boot root",
            description = "Directory served as the root of every boot file name. A relative path is"
                    + " taken from the Karaf base directory. It must exist, and must neither hold nor lie inside"
                    + " the server's own etc/ or data/; an empty value is refused.")
    String root() default FilesSettings.DEFAULT_ROOT;
}
