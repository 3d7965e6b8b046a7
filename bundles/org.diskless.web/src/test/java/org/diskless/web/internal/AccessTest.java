package org.diskless.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.diskless.web.internal.Access.Decision;
import org.junit.jupiter.api.Test;

class AccessTest {

    /** The realm: alice is an admin, bob only a viewer. */
    private static final Map<String, String> PASSWORDS = Map.of("alice", "s3cret:with:colons", "bob", "pw");
    private static final Map<String, Set<String>> ROLES = Map.of("alice", Set.of("admin", "viewer"),
            "bob", Set.of("viewer"));

    private final List<Credentials> tried = new ArrayList<>();
    private final Access access = new Access(credentials -> {
        tried.add(credentials);
        return credentials.password().equals(PASSWORDS.get(credentials.user()))
                ? Optional.of(ROLES.get(credentials.user())) : Optional.empty();
    }, "karaf", "admin", new FailedLogins(LoginLimits.DEFAULT));

    private Decision decide(String header) {
        return access.decide("192.0.2.1", header).decision();
    }

    static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aUserOfTheRealmWithTheRoleIsLetIn() {
        assertEquals(Decision.ALLOWED, decide(basic("alice:s3cret:with:colons")));
        assertEquals(List.of(new Credentials("alice", "s3cret:with:colons")), tried, "the password may hold ':'");
        assertEquals(Decision.ALLOWED, decide("bAsIc " + basic("alice:s3cret:with:colons").substring(6)),
                "the scheme is case-insensitive");
    }

    @Test
    void nothingIsOpenWithoutCredentials() {
        assertEquals(Decision.UNAUTHENTICATED, decide(null));
        assertEquals(Decision.UNAUTHENTICATED, decide(""));
        assertTrue(tried.isEmpty(), "no login is tried without credentials");
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsUnauthenticated() {
        assertEquals(Decision.UNAUTHENTICATED, decide(basic("alice:wrong")));
        assertEquals(Decision.UNAUTHENTICATED, decide(basic("mallory:pw")));
    }

    @Test
    void aUserWithoutTheRoleIsForbidden() {
        assertEquals(Decision.FORBIDDEN, decide(basic("bob:pw")));
    }

    @Test
    void malformedHeadersAreUnauthenticatedWithoutALogin() {
        assertEquals(Decision.UNAUTHENTICATED, decide("Bearer abc"));
        assertEquals(Decision.UNAUTHENTICATED, decide("Basic !!!not base64"));
        assertEquals(Decision.UNAUTHENTICATED, decide(basic("no colon")));
        assertEquals(Decision.UNAUTHENTICATED, decide(basic(":empty user")));
        assertEquals(Decision.UNAUTHENTICATED, decide(basic("alice:" + "x".repeat(2000))), "too long");
        assertTrue(tried.isEmpty(), tried::toString);
    }

    @Test
    void afterTooManyWrongPasswordsNoLoginIsTriedFromThatAddressUntilTheBackoffRunsOut() {
        for (int i = 1; i <= LoginLimits.DEFAULT.failures(); i++) {
            Access.Verdict wrong = access.decide("192.0.2.9", basic("alice:guess" + i));
            assertEquals(Decision.UNAUTHENTICATED, wrong.decision());
            assertEquals(i == LoginLimits.DEFAULT.failures(), wrong.failure().orElseThrow().lockedOut());
        }
        int logins = tried.size();
        Access.Verdict locked = access.decide("192.0.2.9", basic("alice:s3cret:with:colons"));
        assertEquals(Decision.LOCKED_OUT, locked.decision(), "even the right password waits");
        assertTrue(locked.retryAfter().compareTo(LoginLimits.DEFAULT.backoff()) <= 0
                && locked.retryAfter().compareTo(LoginLimits.DEFAULT.backoff().minusSeconds(5)) > 0, locked::toString);
        assertEquals(logins, tried.size(), "JAAS is not asked while the address is locked out");
        assertEquals(Decision.UNAUTHENTICATED, decide(null), "no credentials: the challenge, as ever");
        assertEquals(Decision.ALLOWED, access.decide("192.0.2.10", basic("alice:s3cret:with:colons")).decision(),
                "another address logs in");
    }

    @Test
    void theRightPasswordForgetsEarlierFailuresEvenWithoutTheRole() {
        for (int round = 0; round < 3; round++) {
            for (int i = 1; i < LoginLimits.DEFAULT.failures(); i++) {
                assertEquals(Decision.UNAUTHENTICATED, decide(basic("bob:guess")));
            }
            assertEquals(Decision.FORBIDDEN, decide(basic("bob:pw")));
        }
        assertEquals(Decision.ALLOWED, decide(basic("alice:s3cret:with:colons")), "never locked out");
    }

    @Test
    void credentialsNeverPrintThePassword() {
        assertFalse(new Credentials("alice", "s3cret").toString().contains("s3cret"));
    }

    @Test
    void theChallengeNamesTheRealm() {
        assertEquals("Basic realm=\"karaf\", charset=\"UTF-8\"", Credentials.challenge("karaf"));
    }
}
