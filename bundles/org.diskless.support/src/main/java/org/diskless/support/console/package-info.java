/**
 * How every console command shows sizes, times and its few facts: one place, on the JDK alone, so
 * that a bundle embedding it (bnd {@code -conditionalpackage}) gains no import, not even of the API.
 */
package org.diskless.support.console;
