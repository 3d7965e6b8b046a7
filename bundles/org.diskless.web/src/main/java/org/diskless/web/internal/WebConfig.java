package org.diskless.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * What an operator may set in {@code etc/org.diskless.web.cfg}; read through {@link WebSettings}.
 * Where it listens is Pax Web's: {@code etc/org.ops4j.pax.web.cfg}.
 */
@ObjectClassDefinition(name = "Diskless web API and dashboard",
        description = "Who may use the JSON API and the boot dashboard, and how password guessing is held back.")
@interface WebConfig {

    @AttributeDefinition(description = "The JAAS realm users log in to: karaf is the console's users"
            + " (etc/users.properties).")
    String realm() default "karaf";

    @AttributeDefinition(description = "The role a user needs (a role of the realm, or of a group the user is in).")
    String role() default "admin";

    @AttributeDefinition(description = "Failed logins from one client address, within login.window, that lock"
            + " the address out: no login from it is tried, every request with credentials gets 429.",
            min = "1", max = "1000")
    int login_failures() default 5;

    @AttributeDefinition(description = "Seconds in which login.failures failed logins count together.",
            min = "1")
    long login_window() default 60;

    @AttributeDefinition(description = "Seconds of the first lockout; each lockout that follows lasts twice as"
            + " long, up to login.backoff.max. A successful login forgets the address.", min = "1")
    long login_backoff() default 30;

    @AttributeDefinition(description = "Seconds a lockout lasts at most.", min = "1")
    long login_backoff_max() default 900;

    @AttributeDefinition(description = "Client addresses remembered at most; past that, addresses share one"
            + " entry, so a flood from many addresses is locked out as one client.", min = "1")
    int login_clients() default 10_000;
}
