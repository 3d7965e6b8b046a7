package org.diskless.support.config;

/** Turns a whole configuration into a bundle's typed settings, or refuses it. */
@FunctionalInterface
public interface SettingsParser<S> {

    S parse(Config config) throws InvalidSettingException;
}
