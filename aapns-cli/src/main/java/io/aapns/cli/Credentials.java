package io.aapns.cli;

import io.aapns.api.ApnsClient;
import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SigningKey;
import io.aapns.channels.ApnsChannels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The credentials a command authenticates with, read and checked once: a .p8 signing key (token authentication) or a
 * client certificate (PKCS#12, or PEM certificate plus key). Read from the command line's options, or, when none of
 * {@code --p8}, {@code --cert}, {@code --key} is given, from {@code APNS_P8}, {@code APNS_CERT} and {@code APNS_KEY}.
 */
final class Credentials {

    private static final Pattern AUTH_KEY_FILE = Pattern.compile("AuthKey_([A-Za-z0-9]{10})\\.p8");
    /** The OID of the userId attribute, where Apple's push certificates carry the bundle id. */
    private static final String UID_OID = "0.9.2342.19200300.100.1.1";

    private final SigningKey signingKey;
    private final ClientCertificate certificate;

    private Credentials(SigningKey signingKey, ClientCertificate certificate) {
        this.signingKey = signingKey;
        this.certificate = certificate;
    }

    /**
     * Reads the credentials the options (or variables) name.
     *
     * @param required whether having none is an error (a dry run may go without)
     * @return the credentials, or null when none were given and none are required
     * @throws CliException naming the file and what to fix
     */
    static Credentials read(ConnectionArgs args, CliEnvironment env, boolean required) {
        boolean explicit = args.p8 != null || args.cert != null || args.key != null;
        Path p8 = explicit ? args.p8 : ConnectionArgs.pathVariable(env, "APNS_P8");
        Path cert = explicit ? args.cert : ConnectionArgs.pathVariable(env, "APNS_CERT");
        Path key = explicit ? args.key : ConnectionArgs.pathVariable(env, "APNS_KEY");
        if (p8 != null && (cert != null || key != null)) {
            throw new CliException("both a signing key (--p8) and a client certificate (--cert) are given: choose"
                    + " token or certificate authentication");
        }
        if (p8 != null) {
            return new Credentials(signingKey(args, env, p8), null);
        }
        if (cert != null) {
            return new Credentials(null, certificate(args, env, cert, key));
        }
        if (key != null) {
            throw new CliException("--key " + key + " needs its certificate: give the PEM certificate with --cert");
        }
        if (required) {
            throw new CliException("no credentials: give --p8 AuthKey_KEYID.p8 --key-id KEYID --team-id TEAMID for"
                    + " token authentication, or --cert FILE.p12 (or --cert cert.pem --key key.pem) for certificate"
                    + " authentication (or set APNS_P8 or APNS_CERT)");
        }
        return null;
    }

    private static SigningKey signingKey(ConnectionArgs args, CliEnvironment env, Path p8) {
        requireFile(p8, "the AuthKey (.p8) file");
        String keyId = args.keyId != null ? args.keyId : env.variable("APNS_KEY_ID");
        if (keyId == null) {
            Matcher m = AUTH_KEY_FILE.matcher(p8.getFileName().toString());
            if (m.matches()) {
                keyId = m.group(1);
            }
        }
        if (keyId == null) {
            throw new CliException("--key-id is missing: the signing key's 10-character id (Apple Developer, Keys),"
                    + " or set APNS_KEY_ID, or keep the file's name AuthKey_<KEY_ID>.p8");
        }
        String teamId = args.teamId != null ? args.teamId : env.variable("APNS_TEAM_ID");
        if (teamId == null) {
            throw new CliException("--team-id is missing: the 10-character team id (Apple Developer, Membership), or"
                    + " set APNS_TEAM_ID");
        }
        try {
            return SigningKey.fromP8(p8, keyId, teamId);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new CliException("AuthKey file " + p8 + ": " + e.getMessage(), ExitCodes.USAGE, e);
        }
    }

    private static ClientCertificate certificate(ConnectionArgs args, CliEnvironment env, Path cert, Path key) {
        requireFile(cert, "the certificate file");
        String certText = headOf(cert);
        boolean pem = certText.contains("-----BEGIN");
        if (!pem) {
            if (key != null) {
                throw new CliException("--cert " + cert + " is not PEM, so it is read as PKCS#12, which holds its own"
                        + " key: leave out --key " + key);
            }
            char[] password = Passwords.resolve(args, env, "the PKCS#12 file " + cert, true);
            try {
                return ClientCertificate.fromPkcs12(cert, password);
            } catch (IllegalArgumentException e) {
                throw new CliException(
                        "certificate file " + cert + ": " + e.getMessage() + ". " + Passwords.HOW_TO_GIVE,
                        ExitCodes.USAGE,
                        e);
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        Path keyFile = key;
        if (keyFile == null) {
            if (!certText.contains("PRIVATE KEY-----")) {
                throw new CliException("--cert " + cert + " is a PEM certificate: give its private key with --key"
                        + " key.pem (or use the .p12 file)");
            }
            keyFile = cert; // certificate and key in one file
        } else {
            requireFile(keyFile, "the key file");
        }
        boolean encrypted = headOf(keyFile).contains("BEGIN ENCRYPTED PRIVATE KEY");
        char[] password = encrypted ? Passwords.resolve(args, env, "the encrypted key " + keyFile, false) : null;
        try {
            return ClientCertificate.fromPem(cert, keyFile, password);
        } catch (IllegalArgumentException e) {
            throw new CliException(
                    "certificate " + cert + " with key " + keyFile + ": " + e.getMessage()
                            + (encrypted ? ". " + Passwords.HOW_TO_GIVE : ""),
                    ExitCodes.USAGE,
                    e);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static void requireFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw new CliException(what + " " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException(what + " " + file + " is not a readable file");
        }
    }

    /** The file's first 64 KiB as Latin-1: enough to tell PEM from DER and find its blocks. */
    private static String headOf(Path file) {
        try (var in = Files.newInputStream(file)) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), ExitCodes.USAGE, e);
        }
    }

    /** Gives these credentials to a client builder. */
    void applyTo(ApnsClient.Builder builder) {
        if (signingKey != null) {
            builder.signingKey(signingKey);
        } else {
            builder.clientCertificate(certificate);
        }
    }

    /** Gives these credentials to a channel management client's builder. */
    void applyTo(ApnsChannels.Builder builder) {
        if (signingKey != null) {
            builder.signingKey(signingKey);
        } else {
            builder.clientCertificate(certificate);
        }
    }

    /** For a dry run: the authorization header, or a comment on the certificate the TLS handshake presents. */
    String describe() {
        if (signingKey != null) {
            return "authorization: bearer <ES256 provider token of key " + signingKey.keyId() + ", team "
                    + signingKey.teamId() + ", made per connection>";
        }
        return "# TLS client certificate " + certificate.subject() + ", valid until " + certificate.notAfter();
    }

    /**
     * The bundle id in a client certificate's subject (Apple puts it in the UID attribute), so that a certificate user
     * need not repeat it as --topic; null for token authentication or a certificate without one.
     */
    String certificateTopic() {
        if (certificate == null) {
            return null;
        }
        String dn = certificate.certificate().getSubjectX500Principal().getName(X500Principal.RFC2253);
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                String type = rdn.getType().toUpperCase(Locale.ROOT);
                if ((type.equals("UID") || type.equals(UID_OID)) && rdn.getValue() instanceof String value) {
                    return value;
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
