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
    }, "admin");

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aUserOfTheRealmWithTheRoleIsLetIn() {
        assertEquals(Decision.ALLOWED, access.decide(basic("alice:s3cret:with:colons")));
        assertEquals(List.of(new Credentials("alice", "s3cret:with:colons")), tried, "the password may hold ':'");
        assertEquals(Decision.ALLOWED, access.decide("bAsIc " + basic("alice:s3cret:with:colons").substring(6)),
                "the scheme is case-insensitive");
    }

    @Test
    void nothingIsOpenWithoutCredentials() {
        assertEquals(Decision.UNAUTHENTICATED, access.decide(null));
        assertEquals(Decision.UNAUTHENTICATED, access.decide(""));
        assertTrue(tried.isEmpty(), "no login is tried without credentials");
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsUnauthenticated() {
        assertEquals(Decision.UNAUTHENTICATED, access.decide(basic("alice:wrong")));
        assertEquals(Decision.UNAUTHENTICATED, access.decide(basic("mallory:pw")));
    }

    @Test
    void aUserWithoutTheRoleIsForbidden() {
        assertEquals(Decision.FORBIDDEN, access.decide(basic("bob:pw")));
    }

    @Test
    void malformedHeadersAreUnauthenticatedWithoutALogin() {
        assertEquals(Decision.UNAUTHENTICATED, access.decide("Bearer abc"));
        assertEquals(Decision.UNAUTHENTICATED, access.decide("Basic !!!not base64"));
        assertEquals(Decision.UNAUTHENTICATED, access.decide(basic("no colon")));
        assertEquals(Decision.UNAUTHENTICATED, access.decide(basic(":empty user")));
        assertEquals(Decision.UNAUTHENTICATED, access.decide(basic("alice:" + "x".repeat(2000))), "too long");
        assertTrue(tried.isEmpty(), tried::toString);
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
