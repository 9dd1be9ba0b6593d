package io.aapns.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * Whether a private key belongs to a certificate: the same algorithm, and (for RSA and EC keys) the certificate's
 * public key verifies what the private key signs. Catches a key and a certificate from different pairs when they are
 * put together, instead of at the TLS handshake with APNs.
 */
final class KeyMatch {
    private static final byte[] CHALLENGE = "aapns key check".getBytes(StandardCharsets.US_ASCII);

    private KeyMatch() {}

    /**
     * @throws CredentialException of kind {@code KEY_MISMATCH}, saying so, if {@code key} does not belong to
     *     {@code certificate}
     */
    static void check(PrivateKey key, X509Certificate certificate) {
        PublicKey publicKey = certificate.getPublicKey();
        String subject = certificate.getSubjectX500Principal().getName();
        String algorithm = key.getAlgorithm().toUpperCase(Locale.ROOT);
        if (!algorithm.equals(publicKey.getAlgorithm().toUpperCase(Locale.ROOT))) {
            throw new CredentialException(
                    CredentialException.Kind.KEY_MISMATCH,
                    "the private key is an " + key.getAlgorithm() + " key but the certificate " + subject + " holds an "
                            + publicKey.getAlgorithm() + " key: they are not a pair");
        }
        String signature = switch (algorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (signature == null) {
            return;
        }
        try {
            Signature signer = Signature.getInstance(signature);
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signed = signer.sign();
            Signature verifier = Signature.getInstance(signature);
            verifier.initVerify(publicKey);
            verifier.update(CHALLENGE);
            if (!verifier.verify(signed)) {
                throw new CredentialException(
                        CredentialException.Kind.KEY_MISMATCH,
                        "the private key does not belong to the certificate " + subject
                                + ": give the key that was created with it");
            }
        } catch (GeneralSecurityException e) {
            throw new CredentialException(
                    CredentialException.Kind.KEY_MISMATCH,
                    "cannot check that the private key belongs to the certificate " + subject + ": " + e.getMessage(),
                    e);
        }
    }
}
