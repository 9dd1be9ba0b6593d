package io.aapns.spring.boot.autoconfigure;

import static io.aapns.spring.boot.autoconfigure.TestFiles.KEY_ID;
import static io.aapns.spring.boot.autoconfigure.TestFiles.PASSWORD;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TEAM_ID;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.mock.MockApnsServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** Each misconfiguration fails start-up, and the analysis names the property and the fix. */
class ApnsFailureAnalyzerTests {

    static MockApnsServer apns;

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApnsAutoConfiguration.class, SslAutoConfiguration.class));

    @BeforeAll
    static void start() {
        apns = MockApnsServer.builder().start();
    }

    @AfterAll
    static void stop() {
        apns.close();
    }

    private FailureAnalysis analyze(String... properties) {
        FailureAnalysis[] out = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            out[0] = new ApnsFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(out[0]).as("an analysis").isNotNull();
        return out[0];
    }

    private String p12() {
        return "file:" + TestFiles.pkcs12(apns, dir);
    }

    @Test
    void registeredInSpringFactoriesAndOrderedFirst() {
        // Boot's own analyzers need a bean factory to be made; this test only needs ours
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, null, SpringFactoriesLoader.FailureHandler.handleMessage((m, e) -> {}));
        assertThat(analyzers).isNotEmpty();
        assertThat(analyzers.get(0)).isInstanceOf(ApnsFailureAnalyzer.class);
        assertThat(new ApnsFailureAnalyzer().getOrder()).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void bothTokenAndCertificate() {
        FailureAnalysis a = analyze(
                "aapns.certificate.path=" + p12(),
                "aapns.token.key-path=file:AuthKey.p8",
                "aapns.token.key-id=" + KEY_ID,
                "aapns.token.team-id=" + TEAM_ID);
        assertThat(a.getDescription())
                .contains("Both token authentication (aapns.token.*) and certificate"
                        + " authentication (aapns.certificate.*)");
        assertThat(a.getAction())
                .contains("Keep either")
                .contains("aapns.token.key-path")
                .contains("aapns.certificate.path")
                .contains("remove the other");
        assertThat(a.getCause()).isInstanceOf(ApnsConfigurationException.class);
    }

    @Test
    void neither() {
        FailureAnalysis a = analyze("aapns.topic=" + TOPIC);
        assertThat(a.getDescription())
                .contains("No APNs credentials")
                .contains("aapns.token.*")
                .contains("aapns.certificate.*");
        assertThat(a.getAction())
                .contains("aapns.token.key-path")
                .contains("aapns.token.key-id")
                .contains("aapns.token.team-id")
                .contains("aapns.certificate.ssl-bundle")
                .contains("aapns.certificate.path")
                .contains("aapns.enabled=false");
    }

    @Test
    void incompleteToken() {
        FailureAnalysis a = analyze("aapns.token.key-path=file:AuthKey.p8", "aapns.token.key-id=" + KEY_ID);
        assertThat(a.getDescription()).contains("aapns.token.team-id is not set");
        assertThat(a.getAction()).contains("aapns.token.team-id");
    }

    @Test
    void missingCertificateFile() {
        Path missing = dir.resolve("nope.p12");
        FailureAnalysis a = analyze("aapns.certificate.path=file:" + missing, "aapns.certificate.password=x");
        assertThat(a.getDescription())
                .contains("aapns.certificate.path is 'file:" + missing + "', but there is no such file")
                .contains(missing.toString());
        assertThat(a.getAction())
                .contains("Correct aapns.certificate.path")
                .contains("file:")
                .contains("classpath:");
    }

    @Test
    void missingKeyFileAndTrustFile() {
        FailureAnalysis key = analyze(
                "aapns.token.key-path=classpath:AuthKey_NOPE.p8",
                "aapns.token.key-id=" + KEY_ID,
                "aapns.token.team-id=" + TEAM_ID);
        assertThat(key.getDescription())
                .contains("aapns.token.key-path is 'classpath:AuthKey_NOPE.p8', but there is" + " no such file");
        FailureAnalysis trust = analyze(
                "aapns.certificate.path=" + p12(),
                "aapns.certificate.password=" + PASSWORD,
                "aapns.trust-certificates=file:" + dir.resolve("ca.pem"));
        assertThat(trust.getDescription()).startsWith("aapns.trust-certificates is");
    }

    @Test
    void wrongPkcs12Password() {
        FailureAnalysis a = analyze("aapns.certificate.path=" + p12(), "aapns.certificate.password=wrong");
        assertThat(a.getDescription())
                .contains("aapns.certificate.password does not open the PKCS#12 file in" + " aapns.certificate.path")
                .contains("wrong or missing password");
        assertThat(a.getAction()).contains("Set aapns.certificate.password");
    }

    @Test
    void wrongPemKeyPassword() throws Exception {
        // an encrypted PKCS#8 key, as 'openssl pkcs8 -topk8 -v2 aes256' writes it
        io.aapns.mock.MockClientCertificate certificate = apns.issueClientCertificate(TOPIC);
        Path cert = dir.resolve("c.pem");
        java.nio.file.Files.writeString(cert, certificate.certificatePem());
        Path key = TestFiles.write(dir.resolve("k.pem"), encrypted(certificate.privateKey(), "right"));
        FailureAnalysis a = analyze(
                "aapns.certificate.path=file:" + cert,
                "aapns.certificate.key-path=file:" + key,
                "aapns.certificate.password=wrong");
        assertThat(a.getDescription())
                .contains("aapns.certificate.password does not open the encrypted private key"
                        + " in aapns.certificate.key-path");
        FailureAnalysis none = analyze("aapns.certificate.path=file:" + cert, "aapns.certificate.key-path=file:" + key);
        assertThat(none.getDescription()).contains("is encrypted and aapns.certificate.password is not set");
        // and the right password works
        runner.withPropertyValues(
                        "aapns.certificate.path=file:" + cert,
                        "aapns.certificate.key-path=file:" + key,
                        "aapns.certificate.password=right",
                        "aapns.url=" + apns.uri())
                .run(context -> assertThat(context).hasNotFailed());
    }

    /** An encrypted PKCS#8 key (PBES2, AES-256), DER assembled as openssl writes it (JDK 17 cannot name PBES2). */
    private static String encrypted(java.security.PrivateKey key, String password) throws Exception {
        String algorithm = "PBEWithHmacSHA256AndAES_256";
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        new java.security.SecureRandom().nextBytes(iv);
        javax.crypto.SecretKey pbe = javax.crypto.SecretKeyFactory.getInstance(algorithm)
                .generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray()));
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance(algorithm);
        cipher.init(
                javax.crypto.Cipher.ENCRYPT_MODE,
                pbe,
                new javax.crypto.spec.PBEParameterSpec(salt, 10_000, new javax.crypto.spec.IvParameterSpec(iv)));
        byte[] encryptedKey = cipher.doFinal(key.getEncoded());
        byte[] pbes2Oid = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d};
        byte[] algorithmId = der(0x30, concat(pbes2Oid, cipher.getParameters().getEncoded()));
        byte[] info = der(0x30, concat(algorithmId, der(0x04, encryptedKey)));
        String body = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(info);
        return "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "\n-----END ENCRYPTED PRIVATE KEY-----\n";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80
                ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n} : new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        return concat(concat(new byte[] {(byte) tag}, length), content);
    }

    @Test
    void p8ThatIsNotAnEcKey() {
        Path rsa = TestFiles.write(
                dir.resolve("AuthKey_" + KEY_ID + ".p8"),
                TestFiles.pem(TestFiles.keyPair("RSA").getPrivate()));
        FailureAnalysis a = analyze(
                "aapns.token.key-path=file:" + rsa, "aapns.token.key-id=" + KEY_ID, "aapns.token.team-id=" + TEAM_ID);
        assertThat(a.getDescription())
                .contains("aapns.token.key-path 'file:" + rsa + "' is not an APNs signing key")
                .contains("not an EC key");
        assertThat(a.getAction()).contains("AuthKey_<key id>.p8").contains("EC P-256");
    }

    @Test
    void p8ThatIsNotPem() {
        Path junk = TestFiles.write(dir.resolve("junk.p8"), "hello");
        FailureAnalysis a = analyze(
                "aapns.token.key-path=file:" + junk, "aapns.token.key-id=" + KEY_ID, "aapns.token.team-id=" + TEAM_ID);
        assertThat(a.getDescription()).contains("is not an APNs signing key").contains("not PEM");
    }

    @Test
    void badKeyId() {
        Path p8 = TestFiles.p8(apns, dir);
        FailureAnalysis a = analyze(
                "aapns.token.key-path=file:" + p8, "aapns.token.key-id=short", "aapns.token.team-id=" + TEAM_ID);
        assertThat(a.getDescription())
                .contains("aapns.token.key-id or aapns.token.team-id is wrong")
                .contains("short");
    }

    @Test
    void notAPkcs12File() {
        Path pem = TestFiles.write(
                dir.resolve("cert.p12"), apns.issueClientCertificate(TOPIC).certificatePem());
        FailureAnalysis a = analyze("aapns.certificate.path=file:" + pem, "aapns.certificate.password=x");
        assertThat(a.getAction()).contains("aapns.certificate.key-path");
    }

    @Test
    void unknownEnvironment() {
        FailureAnalysis a = analyze(
                "aapns.environment=sandbox",
                "aapns.certificate.path=" + p12(),
                "aapns.certificate.password=" + PASSWORD);
        assertThat(a.getDescription())
                .contains("aapns.environment is 'sandbox'")
                .contains("which is not an APNs environment");
        assertThat(a.getAction())
                .contains("Set aapns.environment to production or development")
                .contains("aapns.url");
    }

    @Test
    void urlThatIsNotHttps() {
        FailureAnalysis a = analyze(
                "aapns.url=http://127.0.0.1:8080",
                "aapns.certificate.path=" + p12(),
                "aapns.certificate.password=" + PASSWORD);
        assertThat(a.getDescription()).contains("aapns.url 'http://127.0.0.1:8080' is not an https origin");
    }

    @Test
    void unknownSslBundleAndKeyPathWithoutPath() {
        FailureAnalysis bundle = analyze("aapns.certificate.ssl-bundle=apns");
        assertThat(bundle.getDescription())
                .contains("aapns.certificate.ssl-bundle is 'apns'")
                .contains("no SSL bundle of that name");
        assertThat(bundle.getAction()).contains("spring.ssl.bundle.jks.apns");
        FailureAnalysis both = analyze("aapns.certificate.ssl-bundle=apns", "aapns.certificate.path=" + p12());
        assertThat(both.getDescription())
                .contains("aapns.certificate.ssl-bundle and aapns.certificate.path/key-path" + " are both set");
        assertThat(both.getAction()).contains("Remove aapns.certificate.path");
        FailureAnalysis keyOnly = analyze("aapns.certificate.key-path=file:k.pem");
        assertThat(keyOnly.getDescription()).contains("aapns.certificate.path is not");
    }

    @Test
    void anSslBundleWithSeveralKeysAndNoAliasNamesTheProperty() throws Exception {
        Path p12 = TestFiles.pkcs12(apns, dir);
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(p12)) {
            store.load(in, PASSWORD.toCharArray());
        }
        String first = store.aliases().nextElement();
        store.setKeyEntry(
                "second",
                store.getKey(first, PASSWORD.toCharArray()),
                PASSWORD.toCharArray(),
                store.getCertificateChain(first));
        Path two = dir.resolve("two-keys.p12");
        try (var out = java.nio.file.Files.newOutputStream(two)) {
            store.store(out, PASSWORD.toCharArray());
        }
        FailureAnalysis a = analyze(
                "aapns.topic=" + TOPIC,
                "aapns.certificate.ssl-bundle=apns",
                "spring.ssl.bundle.jks.apns.keystore.location=file:" + two,
                "spring.ssl.bundle.jks.apns.keystore.password=" + PASSWORD,
                "spring.ssl.bundle.jks.apns.keystore.type=PKCS12");
        assertThat(a.getDescription()).contains("SSL bundle 'apns'").contains("2 private keys");
        assertThat(a.getAction())
                .contains("spring.ssl.bundle.jks.apns.key.alias")
                .contains("spring.ssl.bundle.pem.apns");
    }

    @Test
    void invalidPoolSize() {
        FailureAnalysis a = analyze(
                "aapns.pool.size=0", "aapns.certificate.path=" + p12(), "aapns.certificate.password=" + PASSWORD);
        assertThat(a.getDescription()).startsWith("aapns.pool.size is invalid");
        assertThat(a.getAction()).contains("1 or more");
    }

    @Test
    void invalidEngineOptionsNameTheirProperty() {
        FailureAnalysis attempt = analyze(
                "aapns.pool.attempt-timeout=0s",
                "aapns.certificate.path=" + p12(),
                "aapns.certificate.password=" + PASSWORD);
        assertThat(attempt.getDescription()).startsWith("aapns.pool.attempt-timeout is invalid");
        assertThat(attempt.getAction()).contains("positive duration such as 3s");
        FailureAnalysis unsafe = analyze(
                "aapns.pool.max-unsafe-retries=-1",
                "aapns.certificate.path=" + p12(),
                "aapns.certificate.password=" + PASSWORD);
        assertThat(unsafe.getDescription()).startsWith("aapns.pool.max-unsafe-retries is invalid");
        assertThat(unsafe.getAction()).contains("0 (never send again what may have been delivered) or more");
        FailureAnalysis ping = analyze(
                "aapns.ping-timeout=-5s", "aapns.certificate.path=" + p12(), "aapns.certificate.password=" + PASSWORD);
        assertThat(ping.getDescription()).startsWith("aapns.ping-timeout is invalid");
        assertThat(ping.getAction()).contains("positive duration such as 5s");
    }

    @Test
    void otherFailuresAreNotOurs() {
        assertThat(new ApnsFailureAnalyzer().analyze(new IllegalStateException("x")))
                .isNull();
    }
}
