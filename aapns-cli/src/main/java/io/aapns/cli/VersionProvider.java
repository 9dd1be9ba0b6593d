package io.aapns.cli;

import picocli.CommandLine;

/** {@code aapns --version}: the jar's version, from its manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = AapnsCommand.class.getPackage().getImplementationVersion();
        return new String[] {
            "aapns " + (version != null ? version : "(development build)"),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
