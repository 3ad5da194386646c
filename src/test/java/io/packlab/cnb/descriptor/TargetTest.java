package io.packlab.cnb.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.packlab.error.PacklabException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void parsesPacksTargetsFlag() {
        assertEquals(new Target("linux", "amd64", "", List.of()), Target.parse("linux/amd64"));
        assertEquals(new Target("linux", "", "", List.of()), Target.parse("linux"));
        assertEquals(new Target("linux", "arm", "v6", List.of(new Distro("ubuntu", "14.04"))),
                Target.parse("linux/arm/v6:ubuntu@14.04"));
        assertEquals(new Target("windows", "amd64", "", List.of(new Distro("windows-nano", "10.0.19041.1415"))),
                Target.parse("windows/amd64:windows-nano@10.0.19041.1415"));
        assertEquals(List.of(new Distro("ubuntu", "22.04"), new Distro("debian", "")),
                Target.parse("linux:ubuntu@22.04;debian").distros());
    }

    @Test
    void printsInTheSameForm() {
        for (String t : List.of("linux", "linux/amd64", "linux/arm/v6:ubuntu@14.04;debian@12")) {
            assertEquals(t, Target.parse(t).toString());
        }
    }

    @Test
    void refusesMalformedTargets() {
        assertEquals("invalid target '': at least one of [os][/arch][/variant] must be specified. Write targets as"
                + " [os][/arch][/variant][:name@version;...], for example linux/amd64 or linux/arm/v6:ubuntu@14.04.",
                assertThrows(PacklabException.class, () -> Target.parse("")).getMessage());
        assertThrows(PacklabException.class, () -> Target.parse("linux/arm/v6/x"));
        assertThrows(PacklabException.class, () -> Target.parse("linux:@14.04"));
        assertThrows(PacklabException.class, () -> Target.parse("linux:ubuntu@14.04@16.04"));
    }

    @Test
    void hostIsNamedAsGoNamesIt() {
        Target host = Target.host();
        assertEquals(List.of(), host.distros());
        assertEquals(host.os().toLowerCase(java.util.Locale.ROOT), host.os());
    }
}
