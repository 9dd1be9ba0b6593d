package io.aapns.auth;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;

/**
 * A credential (a client certificate and its key, a token signing key, a file of trusted CA certificates) that cannot
 * be used, with the {@link Kind} of problem: one kind for each thing the user does to fix it. The message says what is
 * wrong with which file in words; code that explains or reacts to the failure (a start-up failure analyzer, a command
 * line) switches on {@link #kind()} instead of reading the message.
 *
 * <p>An {@link IllegalArgumentException}, as these errors were before they had a kind: code that catches that keeps
 * working.
 */
public final class CredentialException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with a credential, one constant for each way to fix it. */
    public enum Kind {
        /** The file does not exist: fix the path. */
        FILE_NOT_FOUND,
        /** The file or stream exists but cannot be read (a directory, no permission, an I/O error). */
        UNREADABLE,
        /**
         * The content is not in the expected format, or is damaged: not PEM, DER or PKCS#12, a PEM body that is not
         * base64, a certificate or key whose encoding is broken. Give the right file.
         */
        MALFORMED,
        /** The private key is encrypted and no password was given: give its password. */
        PASSWORD_REQUIRED,
        /** The password does not open the PKCS#12 file or decrypt the private key: give the right password. */
        WRONG_PASSWORD,
        /** The data holds no private key (a PEM without a key block, a PKCS#12 file without a key entry). */
        NO_PRIVATE_KEY,
        /** The data holds no certificate (an empty chain, a PKCS#12 key entry or a PEM file without one). */
        NO_CERTIFICATE,
        /** The private key does not belong to the (leaf) certificate: give the key made with that certificate. */
        KEY_MISMATCH,
        /**
         * The key is in a form that is not read here but can be converted: a traditional OpenSSL key ({@code BEGIN RSA
         * PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}), an encrypted {@code .p8} token key, a key encrypted with a
         * cipher the JDK does not have. The message gives the {@code openssl} command.
         */
        UNSUPPORTED_FORMAT,
        /**
         * The key is of a type that cannot serve here: token authentication needs an EC P-256 key (not RSA, not another
         * curve). No conversion helps: give the right key.
         */
        WRONG_KEY_TYPE,
        /** A token signing key's key id or team id is not 10 letters and digits: copy the id from Apple Developer. */
        INVALID_ID
    }

    private final Kind kind;

    /** A credential error of {@code kind} that says {@code message}. */
    public CredentialException(Kind kind, String message) {
        this(kind, message, null);
    }

    /** A credential error of {@code kind} that says {@code message}, caused by {@code cause}. */
    public CredentialException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * The error for an {@link IOException} while reading a credential: {@link Kind#FILE_NOT_FOUND} when the file does
     * not exist, {@link Kind#UNREADABLE} otherwise.
     */
    static CredentialException reading(String message, IOException cause) {
        return new CredentialException(
                cause instanceof NoSuchFileException ? Kind.FILE_NOT_FOUND : Kind.UNREADABLE, message, cause);
    }

    /** What is wrong, and so what to do about it. */
    public Kind kind() {
        return kind;
    }
}
