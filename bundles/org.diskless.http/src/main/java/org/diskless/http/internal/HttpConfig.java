package org.diskless.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.http.cfg}; read through {@link HttpSettings}. */
@ObjectClassDefinition(name = "Diskless HTTP boot server",
        description = "HTTP/1.1 server of the boot root for UEFI HTTP boot, iPXE and GRUB (GET and HEAD).")
@interface HttpConfig {

    @AttributeDefinition(description = "Local address to listen on (the boot network, not the admin interface);"
            + " 0.0.0.0 listens on every interface.")
    String address() default HttpSettings.DEFAULT_ADDRESS;

    @AttributeDefinition(description = "TCP port.", min = "1", max = "65535")
    int port() default HttpSettings.DEFAULT_PORT;

    @AttributeDefinition(description = "Connections open at once; a further one is answered 503 and closed.", min = "1")
    int maxConnections() default HttpSettings.DEFAULT_MAX_CONNECTIONS;

    @AttributeDefinition(description = "Connections open at once from one client IP address; a further one is"
            + " answered 503 and closed.", min = "1")
    int maxConnectionsPerClient() default HttpSettings.DEFAULT_MAX_CONNECTIONS_PER_CLIENT;

    @AttributeDefinition(description = "Seconds a connection may go without reading a byte or sending one before it"
            + " is closed (1-3600): an idle keep-alive connection, or a client that stopped reading.",
            min = "1", max = "3600")
    int idleTimeout() default HttpSettings.DEFAULT_IDLE_TIMEOUT_SECONDS;
}
