package io.aapns.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a certificate's password comes from, in this order: {@code --password} (unsafe), {@code --password-file},
 * {@code --password-env VAR}, the variable {@code APNS_CERT_PASSWORD}, a prompt on a terminal, or none (an empty
 * password, as PKCS#12 files exported without one have). A password is never printed.
 */
final class Passwords {

    static final String DEFAULT_VARIABLE = "APNS_CERT_PASSWORD";

    static final String HOW_TO_GIVE = "Give the password with --password-env VAR or --password-file FILE (or set "
            + DEFAULT_VARIABLE + ", or run on a terminal to be asked)";

    private Passwords() {}

    /**
     * The password for {@code what}.
     *
     * @param emptyIfNone whether to use an empty password when no source is given and no one can be asked (PKCS#12
     *     files exported without a password); otherwise that is an error
     */
    static char[] resolve(ConnectionArgs args, CliEnvironment env, String what, boolean emptyIfNone) {
        int given = (args.password != null ? 1 : 0)
                + (args.passwordFile != null ? 1 : 0)
                + (args.passwordEnv != null ? 1 : 0);
        if (given > 1) {
            throw new CliException("give the password one way: --password-env, --password-file or --password");
        }
        if (args.password != null) {
            return args.password.toCharArray();
        }
        if (args.passwordFile != null) {
            return fromFile(args.passwordFile);
        }
        if (args.passwordEnv != null) {
            String value = env.variable(args.passwordEnv);
            if (value == null) {
                throw new CliException("--password-env " + args.passwordEnv + ": the environment variable "
                        + args.passwordEnv + " is not set (or empty)");
            }
            return value.toCharArray();
        }
        String fallback = env.variable(DEFAULT_VARIABLE);
        if (fallback != null) {
            return fallback.toCharArray();
        }
        if (env.prompt() != null) {
            char[] typed = env.prompt().ask("Password for " + what + ": ");
            return typed == null ? new char[0] : typed;
        }
        if (emptyIfNone) {
            return new char[0];
        }
        throw new CliException(what + " needs a password. " + HOW_TO_GIVE);
    }

    private static char[] fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliException("--password-file " + file + " does not exist");
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end >= 0 ? text.substring(0, end) : text;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new CliException("cannot read --password-file " + file + ": " + e.getMessage(), ExitCodes.USAGE, e);
        }
    }
}
