package io.aapns.cli;

import picocli.CommandLine.Option;

/**
 * The app a broadcast or a channel operation is for: its bare bundle id, given with {@code --bundle-id} (or its alias
 * {@code --topic}), else {@code APNS_TOPIC}, else the bundle id of the client certificate.
 */
final class AppArgs {

    @Option(
            names = {"--bundle-id", "--topic"},
            paramLabel = "BUNDLE_ID",
            description = "the app's bundle id, bare (com.example.app, no .push-type suffix) (env APNS_TOPIC; with a"
                    + " certificate, its bundle id by default)")
    String bundleId;

    /**
     * The bundle id to use.
     *
     * @param credentials the credentials read, or null (a dry run without any)
     * @throws CliException when there is none
     */
    String bundleId(CliEnvironment env, Credentials credentials) {
        String id = bundleId != null ? bundleId : env.variable("APNS_TOPIC");
        if (id == null && credentials != null) {
            id = credentials.certificateTopic();
        }
        if (id == null) {
            throw new CliException("no bundle id: give --bundle-id BUNDLE_ID (the app's bundle id), or set APNS_TOPIC");
        }
        return id.trim();
    }
}
