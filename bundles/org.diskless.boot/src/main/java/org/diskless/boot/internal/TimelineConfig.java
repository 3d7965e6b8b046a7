package org.diskless.boot.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator may set in {@code etc/org.diskless.boot.cfg}; read through {@link TimelineSettings}. */
@ObjectClassDefinition(name = "Diskless boot timelines",
        description = "How boot events are grouped into boots per node, and how much history is kept.")
@interface TimelineConfig {

    @AttributeDefinition(description = "Seconds of silence from a node after which its next event starts a new boot"
            + " (a DHCP DISCOVER from its firmware starts one at once).",
            min = "1")
    long quietGap() default 600;

    @AttributeDefinition(description = "Boots kept per node (the last one and those before it).", min = "1")
    int bootsPerNode() default 2;

    @AttributeDefinition(description = "Events kept per boot: the first half and the latest half; the ones"
            + " between are counted only.", min = "4")
    int eventsPerBoot() default 40;

    @AttributeDefinition(description = "Clients remembered; beyond this the one heard from least recently is"
            + " forgotten.", min = "1")
    int maxClients() default 5000;

    @AttributeDefinition(description = "Heap the kept boots may take, in bytes (estimated per event); beyond"
            + " this the clients heard from least recently are forgotten. At least one client's full history"
            + " (bootsPerNode full boots of eventsPerBoot events).", min = "65536")
    long maxBytes() default TimelineSettings.DEFAULT_MAX_BYTES;

    @AttributeDefinition(description = "Bytes of the file that keeps each client's last boot across a restart"
            + " (data/org.diskless.boot/last-boots.txt, written every minute when something changed and at stop);"
            + " the most recently active clients first, the others left out. 0 keeps nothing.", min = "0")
    long savedBytes() default TimelineSettings.DEFAULT_SAVED_BYTES;
}
