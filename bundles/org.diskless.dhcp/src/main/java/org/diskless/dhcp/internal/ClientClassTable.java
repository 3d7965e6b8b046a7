package org.diskless.dhcp.internal;

/** Where client class configurations land: the DHCP server applies them from the next reply on. */
public interface ClientClassTable {

    /** Adds or replaces the class of configuration {@code pid}. */
    void putClass(String pid, ClientClass clientClass);

    void removeClass(String pid);
}
