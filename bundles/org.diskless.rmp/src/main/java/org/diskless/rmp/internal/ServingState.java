package org.diskless.rmp.internal;

/** What requests are answered with right now: settings, the cnode table, and the name to announce. */
record ServingState(RmpSettings settings, CnodeTable cnodes, String hostName) {
}
