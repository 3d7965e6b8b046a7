package org.diskless.web.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the API and the dashboard: a user of the realm who holds the required role. Nothing
 * is open: a request without credentials, with wrong ones or without the role is refused. Password
 * guessing is held back per client address ({@link FailedLogins}): a locked-out address gets no
 * login tried at all until its back-off has run out.
 */
final class Access {

    /** What to answer a request. */
    enum Decision {
        /** 200 and the answer. */
        ALLOWED,
        /** 401 with a challenge: no credentials, or a wrong user or password. */
        UNAUTHENTICATED,
        /** 403: a user of the realm without the required role. */
        FORBIDDEN,
        /** 429 with Retry-After: too many failed logins from this address, none tried now. */
        LOCKED_OUT
    }

    /**
     * The decision; for {@link Decision#LOCKED_OUT} how long the address stays locked out, and for a
     * wrong password the failure it was recorded as.
     */
    record Verdict(Decision decision, Duration retryAfter, Optional<FailedLogins.Failure> failure) {

        static Verdict of(Decision decision) {
            return new Verdict(decision, Duration.ZERO, Optional.empty());
        }
    }

    private final Login login;
    private final String realm;
    private final String role;
    private final FailedLogins failures;

    Access(Login login, String realm, String role, FailedLogins failures) {
        this.login = login;
        this.realm = realm;
        this.role = role;
        this.failures = failures;
    }

    /** The verdict on a request from {@code address} with this {@code Authorization} header. */
    Verdict decide(String address, String authorizationHeader) {
        Optional<Credentials> credentials = Credentials.fromBasic(authorizationHeader);
        if (credentials.isEmpty()) {
            return Verdict.of(Decision.UNAUTHENTICATED);
        }
        Optional<Duration> lockedOut = failures.lockedOut(address);
        if (lockedOut.isPresent()) {
            return new Verdict(Decision.LOCKED_OUT, lockedOut.get(), Optional.empty());
        }
        Optional<Set<String>> roles = login.roles(credentials.get());
        if (roles.isEmpty()) {
            return new Verdict(Decision.UNAUTHENTICATED, Duration.ZERO, Optional.of(failures.failed(address)));
        }
        // The password was right: whether the role is there or not, this is no guessing.
        failures.succeeded(address);
        return Verdict.of(roles.get().contains(role) ? Decision.ALLOWED : Decision.FORBIDDEN);
    }

    String realm() {
        return realm;
    }

    String role() {
        return role;
    }
}
