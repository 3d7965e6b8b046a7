package org.diskless.leases.postgresql.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.diskless.support.config.Config;
import org.diskless.support.config.InvalidSettingException;

/**
 * The PostgreSQL store's configuration, checked as a whole before it is used. The password is
 * read here, from a file or the environment, and never shown: not in {@link #toString()}, not in
 * a refusal.
 *
 * @param url               the JDBC URL (no password in it)
 * @param user              the role to log in as
 * @param password          the role's password, if the database asks for one
 * @param poolSize          connections kept for writing leases
 * @param connectTimeout    how long a write waits for a connection before the database counts as down
 * @param retention         how long an expired lease is kept before it is deleted
 */
record PostgresqlSettings(String url, String user, Optional<Password> password, int poolSize,
                          Duration connectTimeout, Duration retention) {

    static final int DEFAULT_POOL_SIZE = 4;
    static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 2;
    static final int DEFAULT_RETENTION_HOURS = 168;
    private static final String URL_PREFIX = "jdbc:postgresql:";

    /** A password that prints as {@code (hidden)}, wherever it ends up. */
    record Password(String value) {
        @Override
        public String toString() {
            return "(hidden)";
        }
    }

    /**
     * @param environment the process environment ({@code System::getenv}), for {@code passwordVariable}
     * @param base        where a relative {@code passwordFile} is taken from (the Karaf base)
     */
    static PostgresqlSettings parse(Config config, UnaryOperator<String> environment, Path base)
            throws InvalidSettingException {
        String url = config.requiredText("url", "required: the JDBC URL of the lease database,"
                + " e.g. jdbc:postgresql://db.example:5432/diskless");
        if (!url.startsWith(URL_PREFIX)) {
            throw new InvalidSettingException("url", url, "must start with " + URL_PREFIX);
        }
        if (url.toLowerCase(Locale.ROOT).contains("password")) {
            // Said without the value: the URL holds the password.
            throw new InvalidSettingException("url", "(not shown)", "holds a password, and the URL is logged;"
                    + " put the password in passwordFile or passwordVariable instead");
        }
        String user = config.requiredText("user", "required: the database role the servers log in as");
        String file = config.text("passwordFile", "");
        String variable = config.text("passwordVariable", "");
        if (!file.isEmpty() && !variable.isEmpty()) {
            throw new InvalidSettingException("passwordVariable", variable, "set either passwordFile or"
                    + " passwordVariable, not both");
        }
        Optional<Password> password = Optional.empty();
        if (!file.isEmpty()) {
            password = Optional.of(readPasswordFile(file, base));
        } else if (!variable.isEmpty()) {
            String value = environment.apply(variable);
            if (value == null || value.isEmpty()) {
                throw new InvalidSettingException("passwordVariable", variable, "no such environment variable in"
                        + " the Karaf process (set it in bin/setenv or the service unit)");
            }
            password = Optional.of(new Password(value));
        }
        return new PostgresqlSettings(url, user, password,
                config.integer("poolSize", DEFAULT_POOL_SIZE, 1, 64),
                Duration.ofSeconds(config.integer("connectTimeoutSeconds", DEFAULT_CONNECT_TIMEOUT_SECONDS, 1, 60)),
                Duration.ofHours(config.integer("retentionHours", DEFAULT_RETENTION_HOURS, 0, 87840)));
    }

    private static Password readPasswordFile(String file, Path base) throws InvalidSettingException {
        Path path;
        try {
            path = base.resolve(file);
        } catch (InvalidPathException e) {
            throw new InvalidSettingException("passwordFile", file, "not a usable path (" + e.getReason() + ")");
        }
        try {
            String first = Files.readString(path, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            if (first.isEmpty()) {
                throw new InvalidSettingException("passwordFile", file, "the file's first line is empty");
            }
            return new Password(first);
        } catch (IOException e) {
            throw new InvalidSettingException("passwordFile", file, "cannot be read (" + e + ")");
        }
    }
}
