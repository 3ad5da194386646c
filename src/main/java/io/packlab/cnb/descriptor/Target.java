package io.packlab.cnb.descriptor;

import io.packlab.error.PacklabException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** A platform a buildpack or builder runs on ({@code [[targets]]}); an empty field matches any. */
public record Target(String os, String arch, String variant, List<Distro> distros) {

    public Target {
        os = Objects.requireNonNullElse(os, "");
        arch = Objects.requireNonNullElse(arch, "");
        variant = Objects.requireNonNullElse(variant, "");
        distros = List.copyOf(distros);
    }

    /** Any Linux: what a buildpack with {@code bin/build} and no declared targets runs on. */
    public static Target linux() {
        return new Target("linux", "", "", List.of());
    }

    /** The OS and architecture of this machine, named as Go (and so pack) names them. */
    public static Target host() {
        String osName = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String os = osName.startsWith("windows") ? "windows"
                : osName.startsWith("mac") || osName.startsWith("darwin") ? "darwin"
                : osName.isEmpty() ? "linux" : osName.replace(" ", "");
        String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "arm", "arm32" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            case "" -> "amd64";
            default -> System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        };
        return new Target(os, arch, "", List.of());
    }

    /**
     * Reads pack's {@code --targets} form {@code [os][/arch][/variant][:name@version[;name@version...]]},
     * for example {@code linux/arm/v6:ubuntu@14.04}.
     */
    public static Target parse(String text) {
        String t = text == null ? "" : text.strip();
        String platform = t;
        String distroPart = "";
        int colon = t.indexOf(':');
        if (colon >= 0) {
            platform = t.substring(0, colon);
            distroPart = t.substring(colon + 1);
            if (distroPart.contains(":")) {
                throw invalid(text, "it has more than one ':'");
            }
        }
        String[] parts = platform.split("/", -1);
        if (parts.length > 3) {
            throw invalid(text, "it has more than [os][/arch][/variant]");
        }
        if (platform.isEmpty() && distroPart.isEmpty()) {
            throw invalid(text, "at least one of [os][/arch][/variant] must be specified");
        }
        List<Distro> distros = new ArrayList<>();
        if (!distroPart.isEmpty()) {
            for (String d : distroPart.split(";", -1)) {
                String[] nv = d.split("@", -1);
                if (nv[0].isEmpty()) {
                    throw invalid(text, "a distro needs a name before '@' (like ubuntu@22.04)");
                }
                if (nv.length > 2) {
                    throw invalid(text, "the distro '" + d + "' has more than one '@'; give one name@version per distro,"
                            + " separated by ';'");
                }
                distros.add(new Distro(nv[0], nv.length == 2 ? nv[1] : ""));
            }
        }
        return new Target(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "", distros);
    }

    private static PacklabException invalid(String text, String why) {
        return PacklabException.usage("invalid target '" + text + "': " + why + ". Write targets as"
                + " [os][/arch][/variant][:name@version;...], for example linux/amd64 or linux/arm/v6:ubuntu@14.04.");
    }

    /**
     * Whether this buildpack target accepts a base image of {@code base}'s os, arch and variant (an empty field on either
     * side matches any) and, when both name distros, one of this target's distros (the base's first distro is the image's).
     */
    public boolean accepts(Target base) {
        if (!matches(os, base.os) || !matches(arch, base.arch) || !matches(variant, base.variant)) {
            return false;
        }
        if (distros.isEmpty() || base.distros.isEmpty() || base.distros.get(0).name().isEmpty()) {
            return true;
        }
        Distro image = base.distros.get(0);
        return distros.stream().anyMatch(d -> matches(d.name(), image.name()) && matches(d.version(), image.version()));
    }

    private static boolean matches(String wanted, String found) {
        return wanted.isEmpty() || found.isEmpty() || wanted.equals(found);
    }

    /** The same target with the given distros. */
    public Target withDistros(List<Distro> others) {
        return new Target(os, arch, variant, others);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(os);
        if (!arch.isEmpty() || !variant.isEmpty()) {
            s.append('/').append(arch);
        }
        if (!variant.isEmpty()) {
            s.append('/').append(variant);
        }
        if (!distros.isEmpty()) {
            s.append(':');
            for (int i = 0; i < distros.size(); i++) {
                s.append(i == 0 ? "" : ";").append(distros.get(i));
            }
        }
        return s.toString();
    }
}
