package io.packlab.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest. */
public final class Version implements IVersionProvider {

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"packlab " + current(), "Java " + System.getProperty("java.version")};
    }
}
