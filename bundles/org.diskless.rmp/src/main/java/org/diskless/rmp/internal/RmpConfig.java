package org.diskless.rmp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.rmp.cfg}; read through {@link RmpSettings}. */
@ObjectClassDefinition(name = "Diskless RMP boot server",
        description = "HP Remote Maintenance Protocol boot server (rbootd) for HP 9000 Series 300/400 boot ROMs.")
@interface RmpConfig {

    @AttributeDefinition(description = "Network interface to serve RMP on, e.g. eth1. Empty: RMP is idle."
            + " Needs root or CAP_NET_RAW.")
    String interface$() default "";

    @AttributeDefinition(description = "HP-UX cluster configuration file (/etc/clusterconf format). Empty: none.")
    String clusterconf() default "";

    @AttributeDefinition(description = "HP-UX boot configuration file (/etc/boottab format). Empty: none.")
    String boottab() default "";

    @AttributeDefinition(description = "BSD rbootd configuration file (/etc/rbootd.conf format). Empty: none.")
    String rbootdConf() default "";

    @AttributeDefinition(description = "Directory inside the boot root that relative boot file names are"
            + " taken from (BSD: /usr/mdec/rbootd, HP-UX: /usr/boot). Empty: the boot root itself.")
    String bootDirectory() default "";

    @AttributeDefinition(description = "Boot files (comma separated) offered to a listed machine whose line names"
            + " none, and to any machine when answerAny is set.")
    String defaultBootFiles() default "";

    @AttributeDefinition(description = "Answer every machine, listed or not (rbootd -a).")
    boolean answerAny() default false;

    @AttributeDefinition(description = "Serve inventory nodes whose boot files have roles rmp1, rmp2, ... as cnodes.")
    boolean inventory() default true;

    @AttributeDefinition(description = "Name announced to server-identify probes; empty: this host's name."
            + " Cut at the first '.' and to 13 characters.")
    String hostName() default "";

    @AttributeDefinition(description = "Seconds without a request after which a session is closed.", min = "1")
    int sessionTimeout() default RmpSettings.DEFAULT_SESSION_TIMEOUT_SECONDS;

    @AttributeDefinition(description = "Seconds after which a session that never read is closed (a boot ROM"
            + " reads at once).", min = "1")
    int unreadSessionTimeout() default RmpSettings.DEFAULT_UNREAD_SESSION_TIMEOUT_SECONDS;

    @AttributeDefinition(description = "Sessions open at once, one per machine. When all are in use, a boot"
            + " request closes the oldest session that never read, or gets BUSY if every one has.", min = "1")
    int maxSessions() default RmpSettings.DEFAULT_MAX_SESSIONS;
}
