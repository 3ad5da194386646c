package io.packlab.cnb.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aTargetAcceptsABaseImageByOsArchVariantAndDistroAnEmptyFieldMatchingAny() {
        Target debian = new Target("linux", "amd64", "", List.of(new Distro("debian", "12")));
        assertTrue(Target.linux().accepts(debian));
        assertTrue(Target.parse("linux/amd64").accepts(debian));
        assertFalse(Target.parse("linux/arm64").accepts(debian));
        assertFalse(Target.parse("windows").accepts(debian));
        assertTrue(Target.parse("linux/arm/v7").accepts(Target.parse("linux/arm")), "the image names no variant");
        assertFalse(Target.parse("linux/arm/v7").accepts(Target.parse("linux/arm/v6")));
        assertTrue(Target.parse("linux:ubuntu@22.04;debian@12").accepts(debian), "one of the distros matches");
        assertFalse(Target.parse("linux:ubuntu@22.04").accepts(debian));
        assertTrue(Target.parse("linux:debian").accepts(debian), "a distro without a version matches any version");
        assertTrue(Target.parse("linux:ubuntu@22.04").accepts(Target.parse("linux/amd64")),
                "an image without distro labels is not held to distros");
    }
}
