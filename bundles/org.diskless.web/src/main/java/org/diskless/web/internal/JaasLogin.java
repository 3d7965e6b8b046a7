package org.diskless.web.internal;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;

/**
 * A login to a JAAS realm of Karaf ({@code karaf}: the users of {@code etc/users.properties}, the
 * same as the console's); the roles are the realm's role principals, groups expanded by Karaf.
 */
final class JaasLogin implements Login {

    private final String realm;

    JaasLogin(String realm) {
        this.realm = realm;
    }

    @Override
    public Optional<Set<String>> roles(Credentials credentials) {
        Subject subject = new Subject();
        // LoginContext loads the realm's login module through the context class loader, which on a
        // servlet thread is the web container's: the proxy that Karaf's realms use must be visible.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ProxyLoginModule.class.getClassLoader());
        try {
            LoginContext context = new LoginContext(realm, subject, callbacks -> {
                for (Callback callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(credentials.user());
                    } else if (callback instanceof PasswordCallback password) {
                        password.setPassword(credentials.password().toCharArray());
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            });
            context.login();
        } catch (LoginException wrongUserOrPassword) {
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(previous);
        }
        return Optional.of(subject.getPrincipals(RolePrincipal.class).stream().map(RolePrincipal::getName)
                .collect(Collectors.toUnmodifiableSet()));
    }
}
