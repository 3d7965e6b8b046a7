package org.diskless.leases.postgresql.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator sets in {@code etc/org.diskless.leases.postgresql.cfg}; read through {@link PostgresqlSettings}. */
@ObjectClassDefinition(name = "Diskless lease store in PostgreSQL",
        description = "Leases in a PostgreSQL database that several Diskless servers share. Once configured,"
                + " the DHCP server uses it instead of the embedded journal.")
@interface PostgresqlConfig {

    @AttributeDefinition(description = "JDBC URL of the database, e.g. jdbc:postgresql://db.example:5432/diskless."
            + " Put no password in it: the URL is logged.")
    String url();

    @AttributeDefinition(description = "Database role the servers log in as.")
    String user();

    @AttributeDefinition(description = "File holding the role's password (its first line); readable by the"
            + " Karaf user only. Or set passwordVariable, or neither when the database needs no password.")
    String passwordFile() default "";

    @AttributeDefinition(description = "Name of an environment variable of the Karaf process holding the"
            + " password (e.g. DISKLESS_DB_PASSWORD).")
    String passwordVariable() default "";

    @AttributeDefinition(description = "Connections kept open for writing leases.", min = "1", max = "64")
    int poolSize() default PostgresqlSettings.DEFAULT_POOL_SIZE;

    @AttributeDefinition(description = "Seconds to wait for the database before a lease write is refused and"
            + " the database counted as down.", min = "1", max = "60")
    int connectTimeoutSeconds() default PostgresqlSettings.DEFAULT_CONNECT_TIMEOUT_SECONDS;

    @AttributeDefinition(description = "Hours a lease is kept after it expired before it is deleted; a client"
            + " coming back within that time can get its old address again.", min = "0", max = "87840")
    int retentionHours() default PostgresqlSettings.DEFAULT_RETENTION_HOURS;
}
