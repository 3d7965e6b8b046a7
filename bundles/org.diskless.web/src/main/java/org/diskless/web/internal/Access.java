package org.diskless.web.internal;

import java.util.Optional;
import java.util.Set;

/**
 * Who may use the API and the dashboard: a user of the realm who holds the required role. Nothing
 * is open: a request without credentials, with wrong ones or without the role is refused.
 */
final class Access {

    /** What to answer a request. */
    enum Decision {
        /** 200 and the answer. */
        ALLOWED,
        /** 401 with a challenge: no credentials, or a wrong user or password. */
        UNAUTHENTICATED,
        /** 403: a user of the realm without the required role. */
        FORBIDDEN
    }

    private final Login login;
    private final String role;

    Access(Login login, String role) {
        this.login = login;
        this.role = role;
    }

    Decision decide(String authorizationHeader) {
        Optional<Credentials> credentials = Credentials.fromBasic(authorizationHeader);
        if (credentials.isEmpty()) {
            return Decision.UNAUTHENTICATED;
        }
        Optional<Set<String>> roles = login.roles(credentials.get());
        if (roles.isEmpty()) {
            return Decision.UNAUTHENTICATED;
        }
        return roles.get().contains(role) ? Decision.ALLOWED : Decision.FORBIDDEN;
    }

    String role() {
        return role;
    }
}
