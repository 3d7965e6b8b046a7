package org.diskless.boot.internal;

import java.time.Duration;

import org.diskless.api.boot.BootEvent;
import org.diskless.api.boot.BootProtocol;

/**
 * The two rules every timeline rests on, in one place: where a boot begins, and what counts as its
 * failure. {@code boot:status}, {@code boot:nodes} and other bundles ({@code BootHistory}) all read
 * boots made by these rules.
 *
 * <p><b>Where a boot begins.</b> An event starts a new boot of its client when the client has none
 * yet, when it comes more than {@code quietGap} after the boot's last event, or when it is a DHCP or
 * ProxyDHCP DISCOVER <em>from the firmware</em> (see {@link #fromFirmware}) after the boot got past
 * asking for an address (a REQUEST, an ACK, a file, a refusal…): the machine was powered on or
 * reset, or its firmware tries again after the boot fetched its files or failed. Everything else
 * continues the boot: a firmware repeating its DISCOVER while it waits for an offer, and the DHCP
 * of what the firmware loaded — iPXE (user class {@code iPXE}), GRUB, a kernel's {@code ip=dhcp},
 * which name no client architecture — however long after the file that brought them.
 *
 * <p><b>What is a failure.</b> A step that went wrong ({@link #wentWrong}: a refused request, a
 * transfer that broke off, a DHCP NAK or DECLINE) is a failure of the boot when nothing after it
 * shows the client going on ({@link #wentOn}: a transfer started or completed, an address
 * acknowledged, a session opened). A step the client went on from is normal client behaviour and
 * is not counted: pxelinux asking for config names that do not exist before {@code default},
 * EDK2's size probe (ERROR 8 after a tsize OACK, then the real read), GRUB closing a file it opened
 * for its size ({@code error 0 closed}), a transfer retried that then worked. So a boot that went
 * through has no failure, and one that stopped counts the steps it stopped at.
 */
public final class BootRules {

    private BootRules() {
    }

    /** A step that went wrong: whether it is a failure depends on what follows (see the class comment). */
    public static boolean wentWrong(BootEvent event) {
        BootEvent.Kind kind = event.kind();
        return kind.equals(BootEvent.Kind.FILE_FAILED) || kind.equals(BootEvent.Kind.FILE_REFUSED)
                || kind.equals(BootEvent.Kind.NAK) || kind.equals(BootEvent.Kind.DECLINE);
    }

    /** A step that shows the client going on: every step that went wrong before it was got past. */
    static boolean wentOn(BootEvent event) {
        BootEvent.Kind kind = event.kind();
        return kind.equals(BootEvent.Kind.FILE_STARTED) || kind.equals(BootEvent.Kind.FILE_SENT)
                || kind.equals(BootEvent.Kind.FILE_RECEIVED) || kind.equals(BootEvent.Kind.ACK)
                || kind.equals(BootEvent.Kind.SESSION_OPENED);
    }

    /**
     * A DHCP or ProxyDHCP DISCOVER from a machine's own firmware (a PXE ROM, UEFI PXE or HTTP boot):
     * it names its client architecture (option 93, which the PXE and UEFI specifications require)
     * and no user class. iPXE names the architecture too but sends its user class; GRUB and an
     * operating system's DHCP client name no architecture. The DHCP bundle writes a DISCOVER's
     * detail as {@code arch <code>}, then {@code user class <text>} when the client sent one.
     */
    static boolean fromFirmware(BootEvent event) {
        boolean dhcp = event.protocol().equals(BootProtocol.DHCP) || event.protocol().equals(BootProtocol.PROXY_DHCP);
        String detail = event.detail();
        return dhcp && event.kind().equals(BootEvent.Kind.DISCOVER) && detail.startsWith("arch ")
                && !detail.contains("user class ");
    }

    /** Whether {@code event} begins a new boot after {@code boot} (see the class comment). */
    static boolean startsNewBoot(BootRecord boot, BootEvent event, TimelineSettings settings) {
        Duration quiet = Duration.between(boot.last().time(), event.time());
        if (quiet.compareTo(settings.quietGap()) > 0) {
            return true;
        }
        return fromFirmware(event) && boot.pastDiscovery();
    }
}
