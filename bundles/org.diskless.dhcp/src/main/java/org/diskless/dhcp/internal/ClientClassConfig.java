package org.diskless.dhcp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One client class: {@code etc/org.diskless.dhcp.class-<name>.cfg} or {@code config:edit --factory}. */
@ObjectClassDefinition(name = "Diskless DHCP client class",
        description = "Which clients (architecture, vendor class, user class) get which options left out or set.")
@interface ClientClassConfig {

    @AttributeDefinition(required = false, description = "Name shown in the log; classes apply in name order."
            + " Defaults to the configuration's name.")
    String name();

    @AttributeDefinition(required = false, description = "Option 93 codes the class is for, e.g. 16 (x64 UEFI HTTP"
            + " boot) or 7 (x64 UEFI; 9 counts as 7).")
    String[] architecture();

    @AttributeDefinition(required = false, description = "A prefix of option 60 the class is for, e.g. HTTPClient.")
    String vendorClass();

    @AttributeDefinition(required = false, description = "Option 77 user classes the class is for (one suffices),"
            + " e.g. iPXE.")
    String[] userClass();

    @AttributeDefinition(required = false, description = "Option codes left out of the replies, e.g. 6, 15. Options"
            + " are set with keys option.<code>, replacing the server's: addresses for address options (option.6 ="
            + " 192.0.2.53), hex:… for bytes (option.43 = hex:0104c0000201), else text (option.66 = 192.0.2.1).")
    String[] remove();
}
