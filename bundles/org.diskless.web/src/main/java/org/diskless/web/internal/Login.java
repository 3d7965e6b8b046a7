package org.diskless.web.internal;

import java.util.Optional;
import java.util.Set;

/** Checks a user's password against the container's users: the seam between access rules and JAAS. */
interface Login {

    /** The roles {@code credentials} grant, or empty when the user or password is wrong. */
    Optional<Set<String>> roles(Credentials credentials);
}
