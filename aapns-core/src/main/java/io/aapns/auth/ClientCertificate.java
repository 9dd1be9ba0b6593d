package io.aapns.auth;

import io.aapns.auth.CredentialException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.security.auth.DestroyFailedException;

/**
 * An APNs provider certificate with its private key, for certificate-based authentication. Read it from a PKCS#12 file
 * (what Keychain Access exports as {@code .p12}) or from a PEM certificate chain plus a PEM PKCS#8 private key (plain
 * or encrypted). Loaded and checked eagerly, so a wrong password or a broken file fails here with a message that says
 * what to fix: a {@link CredentialException} whose {@link CredentialException#kind() kind} names the problem.
 * Immutable.
 *
 * <p>Turn it into a TLS context with {@link SslContexts#forCertificate(ClientCertificate)}.
 *
 * <p>PEM keys in the traditional OpenSSL formats ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}) are not
 * read, since that would need BouncyCastle; convert them once with {@code openssl pkcs8 -topk8 -in key.pem -out
 * key-pkcs8.pem} (add {@code -nocrypt} for an unencrypted key).
 */
public final class ClientCertificate {
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    /** Checks that the key belongs to the leaf certificate, however the two were read. */
    private ClientCertificate(PrivateKey privateKey, List<X509Certificate> chain) {
        KeyMatch.check(privateKey, chain.get(0));
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    /**
     * A certificate chain (leaf first) and its private key that the caller already holds, from a key store, a secrets
     * manager or an SSL bundle, with nothing to read or decrypt.
     *
     * @throws CredentialException if the chain is empty or holds a null
     *     ({@link CredentialException.Kind#NO_CERTIFICATE}), or the key does not belong to the leaf certificate: its
     *     public key does not verify what the private key signs ({@link CredentialException.Kind#KEY_MISMATCH})
     */
    public static ClientCertificate of(PrivateKey privateKey, X509Certificate... chain) {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(chain, "chain");
        if (chain.length == 0) {
            throw new CredentialException(
                    Kind.NO_CERTIFICATE, "no certificate: give the provider certificate (and its chain, leaf first)");
        }
        for (int i = 0; i < chain.length; i++) {
            if (chain[i] == null) {
                throw new CredentialException(Kind.NO_CERTIFICATE, "certificate " + (i + 1) + " of the chain is null");
            }
        }
        return new ClientCertificate(privateKey, Arrays.asList(chain));
    }

    /** Reads a PKCS#12 file; {@code password} protects both the file and the key. */
    public static ClientCertificate fromPkcs12(Path file, char[] password) {
        Objects.requireNonNull(file, "file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw CredentialException.reading(
                    e instanceof NoSuchFileException
                            ? "the PKCS#12 file " + file + " does not exist"
                            : "cannot read PKCS#12 file " + file + ": " + e.getMessage(),
                    e);
        }
        try {
            return fromPkcs12(new ByteArrayInputStream(bytes), password);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Reads a PKCS#12 file with a password held as a String ({@code null} for none). Prefer the {@code char[]} form
     * when the password can be cleared after use.
     */
    public static ClientCertificate fromPkcs12(Path file, String password) {
        return fromPkcs12(file, password == null ? null : password.toCharArray());
    }

    /**
     * Reads PKCS#12 data from a stream (not closed here). The password is read during the call and not kept: the caller
     * may clear its array afterwards.
     */
    public static ClientCertificate fromPkcs12(InputStream in, char[] password) {
        Objects.requireNonNull(in, "in");
        // our own copy, cleared below; the caller's array is the caller's to clear
        char[] pw = password == null ? new char[0] : password.clone();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            for (Enumeration<String> aliases = ks.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (!ks.isKeyEntry(alias)) {
                    continue;
                }
                Key key = ks.getKey(alias, pw);
                if (!(key instanceof PrivateKey pk)) {
                    continue;
                }
                Certificate[] certs = ks.getCertificateChain(alias);
                if (certs == null || certs.length == 0) {
                    throw new CredentialException(
                            Kind.NO_CERTIFICATE, "PKCS#12 key entry '" + alias + "' has no certificate");
                }
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : certs) {
                    chain.add((X509Certificate) c);
                }
                return new ClientCertificate(pk, chain);
            }
            throw new CredentialException(
                    Kind.NO_PRIVATE_KEY, "the PKCS#12 data holds no private key with a certificate");
        } catch (IOException e) {
            // KeyStore.load reports a wrong password as an IOException caused by UnrecoverableKeyException.
            if (causedBy(e, UnrecoverableKeyException.class)) {
                throw new CredentialException(
                        Kind.WRONG_PASSWORD, "cannot read PKCS#12 data (wrong password): " + e.getMessage(), e);
            }
            throw new CredentialException(
                    Kind.MALFORMED, "cannot read PKCS#12 data (not PKCS#12): " + e.getMessage(), e);
        } catch (UnrecoverableKeyException e) {
            // the key has a password of its own, other than the file's
            throw new CredentialException(
                    Kind.WRONG_PASSWORD,
                    "cannot read PKCS#12 data: the key's password is not the file's (wrong password): "
                            + e.getMessage(),
                    e);
        } catch (NoSuchAlgorithmException e) {
            throw new CredentialException(
                    Kind.UNSUPPORTED_FORMAT,
                    "cannot read PKCS#12 data: it is protected with an algorithm this JDK does not have: "
                            + e.getMessage(),
                    e);
        } catch (GeneralSecurityException e) {
            throw new CredentialException(Kind.MALFORMED, "cannot read PKCS#12 data: " + e.getMessage(), e);
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    /** Reads a PEM certificate chain (leaf first) and an unencrypted PEM PKCS#8 private key. */
    public static ClientCertificate fromPem(Path certificateChain, Path privateKey) {
        return fromPem(certificateChain, privateKey, (char[]) null);
    }

    /**
     * Reads a PEM certificate chain and a PEM PKCS#8 private key, encrypted when {@code keyPassword} (held as a String)
     * is not {@code null}. Prefer the {@code char[]} form when the password can be cleared after use.
     */
    public static ClientCertificate fromPem(Path certificateChain, Path privateKey, String keyPassword) {
        return fromPem(certificateChain, privateKey, keyPassword == null ? null : keyPassword.toCharArray());
    }

    /**
     * Reads a PEM certificate chain (leaf first) and an unencrypted PEM PKCS#8 private key from streams (read to their
     * end, not closed here), for instance class-path resources.
     */
    public static ClientCertificate fromPem(InputStream certificateChain, InputStream privateKey) {
        return fromPem(certificateChain, privateKey, (char[]) null);
    }

    /**
     * Reads a PEM certificate chain (leaf first) and a PEM PKCS#8 private key from streams (read to their end, not
     * closed here), the key encrypted when {@code keyPassword} is not {@code null}. The password is read during the
     * call and not kept.
     */
    public static ClientCertificate fromPem(InputStream certificateChain, InputStream privateKey, char[] keyPassword) {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        List<X509Certificate> chain =
                readCertificates(readAll(certificateChain, "the certificate chain"), "the" + " certificate chain");
        if (chain.isEmpty()) {
            throw new CredentialException(Kind.NO_CERTIFICATE, "no certificate in the certificate chain stream");
        }
        byte[] keyBytes = readAll(privateKey, "the private key");
        try {
            String pem = new String(keyBytes, StandardCharsets.US_ASCII);
            return new ClientCertificate(parsePrivateKey(pem, keyPassword, "the private key stream"), chain);
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }

    private static byte[] readAll(InputStream in, String what) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CredentialException(Kind.UNREADABLE, "cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a PEM certificate chain (leaf first) and a PEM PKCS#8 private key, encrypted ({@code BEGIN ENCRYPTED
     * PRIVATE KEY}) when {@code keyPassword} is not {@code null}. The password is read during the call and not kept:
     * the caller may clear its array afterwards.
     */
    public static ClientCertificate fromPem(Path certificateChain, Path privateKey, char[] keyPassword) {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        List<X509Certificate> chain = readCertificates(certificateChain);
        if (chain.isEmpty()) {
            throw new CredentialException(Kind.NO_CERTIFICATE, "no certificate in " + certificateChain);
        }
        String pem = readText(privateKey);
        PrivateKey key = parsePrivateKey(pem, keyPassword, privateKey.toString());
        return new ClientCertificate(key, chain);
    }

    /**
     * Reads every certificate in {@code file} (for trusted CA files as well): the {@code CERTIFICATE} blocks of a PEM
     * file, other blocks (a private key, parameters) skipped, or DER certificates. A file with none gives an empty
     * list.
     *
     * @throws CredentialException if the file does not exist or cannot be read, a certificate block is broken, or the
     *     file is neither PEM nor DER
     */
    static List<X509Certificate> readCertificates(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw CredentialException.reading(
                    e instanceof NoSuchFileException
                            ? "the certificate file " + file + " does not exist"
                            : "cannot read certificates from " + file + ": " + e.getMessage(),
                    e);
        }
        return readCertificates(bytes, file.toString());
    }

    /** {@link #readCertificates(Path)} of bytes read from {@code file} (a name for messages). */
    private static List<X509Certificate> readCertificates(byte[] bytes, String file) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1); // one char per byte, whatever the file
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory cf;
        try {
            cf = CertificateFactory.getInstance("X.509");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory: " + e.getMessage(), e);
        }
        if (text.contains("-----BEGIN ")) {
            Matcher m = PEM_BLOCK.matcher(text);
            while (m.find()) {
                if (!"CERTIFICATE".equals(m.group(1))) {
                    continue;
                }
                try {
                    byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
                } catch (IllegalArgumentException | GeneralSecurityException e) {
                    throw new CredentialException(
                            Kind.MALFORMED,
                            "cannot read certificate " + (out.size() + 1) + " in " + file + ": " + e.getMessage(),
                            e);
                }
            }
            return out;
        }
        if (text.isBlank()) {
            return out;
        }
        try {
            for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new CredentialException(
                    Kind.MALFORMED,
                    "no certificate in " + file + ": it is neither PEM"
                            + " ('-----BEGIN CERTIFICATE-----') nor DER certificates (" + e.getMessage() + ")",
                    e);
        }
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw CredentialException.reading(
                    e instanceof NoSuchFileException
                            ? "the private key file " + file + " does not exist"
                            : "cannot read " + file + ": " + e.getMessage(),
                    e);
        }
    }

    static PrivateKey parsePrivateKey(String pem, char[] password, String source) {
        Matcher m = PEM_BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            switch (type) {
                case "PRIVATE KEY":
                    return toPrivateKey(Base64.getMimeDecoder().decode(m.group(2)), source);
                case "ENCRYPTED PRIVATE KEY":
                    if (password == null) {
                        throw new CredentialException(
                                Kind.PASSWORD_REQUIRED,
                                "the private key in " + source + " is encrypted: give its password");
                    }
                    // PBEKeySpec takes its own copy of the password, which decrypt clears
                    return toPrivateKey(
                            decrypt(Base64.getMimeDecoder().decode(m.group(2)), new PBEKeySpec(password), source),
                            source);
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                    throw new CredentialException(
                            Kind.UNSUPPORTED_FORMAT,
                            "the private key in " + source + " is in the traditional OpenSSL"
                                    + " format (" + type + "), which needs BouncyCastle; convert it to PKCS#8 with"
                                    + " 'openssl pkcs8 -topk8 -in <key> -out <key.p8.pem>'");
                default:
                // certificates or parameters before the key: keep looking
            }
        }
        throw new CredentialException(Kind.NO_PRIVATE_KEY, "no PEM private key in " + source);
    }

    /**
     * The PKCS#8 bytes of an encrypted private key ({@code EncryptedPrivateKeyInfo} DER). Clears {@code password} and
     * the encrypted bytes before it returns or throws; the caller clears what it returns.
     */
    static byte[] decrypt(byte[] der, PBEKeySpec password, String source) {
        SecretKey pbeKey = null;
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // For PBES2 the JDK names the algorithm by its parameters, e.g. PBEWithHmacSHA256AndAES_256.
            String algorithm =
                    info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            pbeKey = factory.generateSecret(password);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, pbeKey, info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (IOException e) {
            throw new CredentialException(
                    Kind.MALFORMED,
                    "cannot decrypt the private key in " + source + ": it is not a PKCS#8 encrypted key: "
                            + e.getMessage(),
                    e);
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new CredentialException(
                    Kind.UNSUPPORTED_FORMAT,
                    "cannot decrypt the private key in " + source + " (unsupported cipher): " + e.getMessage()
                            + "; re-encrypt it with 'openssl pkcs8 -topk8 -v2 aes-256-cbc -in <key> -out <key.p8.pem>'",
                    e);
        } catch (GeneralSecurityException e) {
            throw new CredentialException(
                    Kind.WRONG_PASSWORD,
                    "cannot decrypt the private key in " + source + " (wrong password): " + e.getMessage(),
                    e);
        } finally {
            password.clearPassword();
            Arrays.fill(der, (byte) 0);
            destroy(pbeKey);
        }
    }

    /** Destroys a password-derived key where the provider supports it (not all do). */
    private static void destroy(SecretKey key) {
        if (key == null || key.isDestroyed()) {
            return;
        }
        try {
            key.destroy();
        } catch (DestroyFailedException notSupported) {
            // the provider keeps no destroyable material, or cannot: nothing more to do here
        }
    }

    /**
     * The private key in {@code pkcs8}, an unencrypted PKCS#8 key of any of the usual algorithms. Clears {@code pkcs8}
     * before it returns or throws: the key keeps its own copy.
     */
    static PrivateKey toPrivateKey(byte[] pkcs8, String source) {
        try {
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
            for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "DSA"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException tryNext) {
                    // not this algorithm
                }
            }
            throw new CredentialException(
                    Kind.MALFORMED, "the private key in " + source + " is not an RSA or EC PKCS#8 key");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The private key. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The certificate chain, leaf first. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The leaf (provider) certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** When the provider certificate expires: shown in health so that nobody is surprised. */
    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** The subject of the provider certificate. */
    public String subject() {
        return certificate().getSubjectX500Principal().getName();
    }

    @Override
    public String toString() {
        return "ClientCertificate{" + subject() + ", expires " + notAfter() + "}";
    }
}
