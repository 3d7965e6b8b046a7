package org.diskless.files.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Diskless boot files",
        description = "The directory every protocol serves boot files from.")
@interface FilesConfig {

    @AttributeDefinition(name = "Boot root",
            description = "Directory served as the root of every boot file name. A relative path is"
                    + " taken from the Karaf base directory.")
    String root() default "tftpboot";
}
