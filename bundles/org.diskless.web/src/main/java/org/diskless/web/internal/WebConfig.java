package org.diskless.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.diskless.web.cfg}. Where it listens is Pax Web's: {@code etc/org.ops4j.pax.web.cfg}. */
@ObjectClassDefinition(name = "Diskless web API and dashboard",
        description = "Who may use the JSON API and the boot dashboard.")
@interface WebConfig {

    @AttributeDefinition(description = "The JAAS realm users log in to: karaf is the console's users"
            + " (etc/users.properties).")
    String realm() default "karaf";

    @AttributeDefinition(description = "The role a user needs (a role of the realm, or of a group the user is in).")
    String role() default "admin";
}
