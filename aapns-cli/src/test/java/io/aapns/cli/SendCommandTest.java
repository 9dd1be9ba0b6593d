package io.aapns.cli;

import static io.aapns.cli.CliTesting.KEY_ID;
import static io.aapns.cli.CliTesting.TEAM_ID;
import static io.aapns.cli.CliTesting.TOPIC;
import static io.aapns.cli.CliTesting.cli;
import static io.aapns.cli.CliTesting.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.cli.CliTesting.Run;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import io.aapns.mock.RecordedRequest;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aapns send} in-process against the mock server, which requires client certificates (or, for token
 * authentication, a second mock that checks provider tokens): accepted, rejected, no answer, every credential form and
 * what goes wrong with them.
 */
class SendCommandTest {

    static MockApnsServer certMock;
    static MockApnsServer tokenMock;
    static KeyPair signingKey = CliTesting.ecKey();

    @TempDir
    static Path dir;

    static Path p12;
    static Path pem;
    static Path pemKey;
    static Path p8;

    @BeforeAll
    static void start() throws Exception {
        certMock = MockApnsServer.builder().requireClientCertificate(true).start();
        tokenMock = MockApnsServer.builder().development(true).start();
        tokenMock.registerSigningKey(TEAM_ID, KEY_ID, signingKey.getPublic());
        MockClientCertificate client = certMock.issueClientCertificate(TOPIC);
        p12 = client.writePkcs12(dir.resolve("client.p12"), "secret".toCharArray());
        pem = dir.resolve("client.pem");
        pemKey = dir.resolve("client-key.pem");
        client.writePem(pem, pemKey);
        p8 = CliTesting.writeP8(dir, signingKey);
    }

    @AfterAll
    static void stop() {
        certMock.close();
        tokenMock.close();
    }

    @BeforeEach
    void reset() {
        certMock.reset();
        tokenMock.reset();
        tokenMock.registerSigningKey(TEAM_ID, KEY_ID, signingKey.getPublic());
    }

    static List<String> certArgs() {
        return List.of(
                "send",
                "--url",
                certMock.uri().toString(),
                "--trust",
                certMock.caCertificateFile().toString(),
                "--cert",
                p12.toString(),
                "--password-env",
                "P12_PASSWORD");
    }

    @Test
    void aSendTheServerAcceptsExitsZeroAndSaysSo() {
        Run run = cli().env("P12_PASSWORD", "secret")
                .run(CliTesting.args(
                        certArgs(),
                        "--title",
                        "Hello",
                        "--body",
                        "from aapns",
                        "--badge",
                        "2",
                        "--sound",
                        "default",
                        "--custom",
                        "order={\"id\":7}",
                        "--collapse-id",
                        "greeting",
                        "--priority",
                        "5",
                        token(1)));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("accepted " + token(1) + " apns-id ");
        RecordedRequest request = certMock.requests().get(0);
        assertThat(request.payloadAsString())
                .isEqualTo("{\"aps\":{\"alert\":{\"title\":\"Hello\",\"body\":\"from aapns\"},\"badge\":2,"
                        + "\"sound\":\"default\"},\"order\":{\"id\":7}}");
        assertThat(request.header("apns-topic"))
                .as("the certificate's bundle id")
                .isEqualTo(TOPIC);
        assertThat(request.header("apns-push-type")).isEqualTo("alert");
        assertThat(request.header("apns-collapse-id")).isEqualTo("greeting");
        assertThat(request.header("apns-priority")).isEqualTo("5");
        assertThat(run.out()).contains(request.header("apns-id"));
    }

    @Test
    void mockSendsToAServerOfItsOwnWithoutCredentials() {
        Run run = cli().run("send", "--mock", "--title", "Hello", token(7));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("accepted " + token(7));
        assertThat(run.err()).contains("mock APNs server");
    }

    @Test
    void mockWithAServerOrCredentialsOfYourOwnIsAUsageError() {
        Run run = cli().run("send", "--mock", "--url", "https://127.0.0.1:1", "--title", "Hello", token(7));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--mock").contains("--url");
    }

    @Test
    void aRejectionExitsOneWithTheReason() {
        certMock.markUnregistered(token(2), Instant.parse("2026-01-02T03:04:05Z"));

        Run run = cli().env("P12_PASSWORD", "secret").run(CliTesting.args(certArgs(), "--title", "Hello", token(2)));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.out())
                .contains("rejected " + token(2) + ": 410 Unregistered since 2026-01-02T03:04:05Z")
                .contains("no longer");
    }

    @Test
    void severalTokensGetOneLineEachAndASummary() {
        certMock.markExpired(token(4));

        Run run = cli().env("P12_PASSWORD", "secret")
                .run(CliTesting.args(certArgs(), "--title", "Hello", token(3), token(4), token(5)));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.outLines()).hasSize(3);
        assertThat(run.err()).contains("3 notification(s)").contains("2 accepted, 1 rejected");
        assertThat(run.err()).contains("rejected: 410 ExpiredToken x1");
    }

    @Test
    void noAnswerWithinTheTimeoutExitsThree() {
        certMock.faults().stallAll(true);

        Run run = cli().env("P12_PASSWORD", "secret")
                .run(CliTesting.args(certArgs(), "--timeout", "1s", "--output", "-", "--title", "Hello", token(6)));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NO_ANSWER);
        assertThat(run.out())
                .contains("\"outcome\":\"failed\"")
                .contains("\"reason\":\"RequestTimeoutException\"")
                .contains("\"possibly-delivered\":true");
        assertThat(run.err()).contains("1 without an answer");
    }

    @Test
    void tokenAuthenticationWithAP8() {
        Run run = cli().run(
                        "send",
                        "--url",
                        tokenMock.uri().toString(),
                        "--trust",
                        tokenMock.caCertificateFile().toString(),
                        "--p8",
                        p8.toString(),
                        "--team-id",
                        TEAM_ID,
                        "--topic",
                        TOPIC,
                        "--content-available",
                        token(7));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("apns-unique-id "); // the key id came from the file name
        RecordedRequest request = tokenMock.requests().get(0);
        assertThat(request.header("authorization")).startsWith("bearer ");
        assertThat(request.header("apns-push-type")).isEqualTo("background");
    }

    @Test
    void tokenAuthenticationFromEnvironmentVariables() {
        Run run = cli().env("APNS_P8", p8.toString())
                .env("APNS_KEY_ID", KEY_ID)
                .env("APNS_TEAM_ID", TEAM_ID)
                .env("APNS_TOPIC", TOPIC)
                .env("APNS_URL", tokenMock.uri().toString())
                .env("APNS_TRUST", tokenMock.caCertificateFile().toString())
                .run("send", "--body", "hi", token(8));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(tokenMock.acceptedRequests()).hasSize(1);
    }

    @Test
    void aP8OfAnotherKeyIsRefusedByTheServer() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        Path wrongKey = CliTesting.writeP8(other, CliTesting.ecKey());

        Run run = cli().run(
                        "send",
                        "--url",
                        tokenMock.uri().toString(),
                        "--trust",
                        tokenMock.caCertificateFile().toString(),
                        "--p8",
                        wrongKey.toString(),
                        "--team-id",
                        TEAM_ID,
                        "--topic",
                        TOPIC,
                        "--body",
                        "hi",
                        token(9));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.out()).contains("403 InvalidProviderToken");
    }

    @Test
    void aPemCertificateAndKey() {
        Run run = cli().run(
                        "send",
                        "--url",
                        certMock.uri().toString(),
                        "--trust",
                        certMock.caCertificateFile().toString(),
                        "--cert",
                        pem.toString(),
                        "--key",
                        pemKey.toString(),
                        "--body",
                        "hi",
                        token(10));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(certMock.acceptedRequests()).hasSize(1);
    }

    @Test
    void anEncryptedPemKeyTakesThePasswordOptions() throws Exception {
        MockClientCertificate client = certMock.issueClientCertificate(TOPIC);
        Path encrypted = CliTesting.writeEncryptedKey(
                dir.resolve("encrypted-key.pem"), client.privateKey(), "s3cret".toCharArray());
        Path passwordFile = Files.writeString(dir.resolve("key-password.txt"), "s3cret\n");
        List<String> base = List.of(
                "send",
                "--url",
                certMock.uri().toString(),
                "--trust",
                certMock.caCertificateFile().toString(),
                "--cert",
                pem.toString(),
                "--key",
                encrypted.toString(),
                "--body",
                "hi");
        Path certFile = dir.resolve("encrypted-client.pem");
        Files.writeString(certFile, client.certificatePem());
        List<String> withItsCertificate = List.of(
                "send",
                "--url",
                certMock.uri().toString(),
                "--trust",
                certMock.caCertificateFile().toString(),
                "--cert",
                certFile.toString(),
                "--key",
                encrypted.toString(),
                "--body",
                "hi");

        Run withPassword =
                cli().run(CliTesting.args(withItsCertificate, "--password-file", passwordFile.toString(), token(22)));
        Run withoutPassword = cli().run(CliTesting.args(base, token(23)));
        Run wrongPassword = cli().env("KEY_PASSWORD", "nope")
                .run(CliTesting.args(withItsCertificate, "--password-env", "KEY_PASSWORD", token(24)));

        assertThat(withPassword.exitCode()).as(withPassword.toString()).isZero();
        assertThat(withoutPassword.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(withoutPassword.err()).contains("the encrypted key " + encrypted + " needs a password");
        assertThat(wrongPassword.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrongPassword.err()).contains("wrong password").doesNotContain("nope");
        assertThat(certMock.acceptedRequests()).hasSize(1);
    }

    @Test
    void aPemFileWithTheCertificateAndTheKeyTogether() throws Exception {
        Path both = dir.resolve("both.pem");
        Files.writeString(both, Files.readString(pem) + Files.readString(pemKey));

        Run run = cli().run(
                        "send",
                        "--url",
                        certMock.uri().toString(),
                        "--trust",
                        certMock.caCertificateFile().toString(),
                        "--cert",
                        both.toString(),
                        "--body",
                        "hi",
                        token(25));

        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void thePkcs12PasswordFromAFileOrAPrompt() throws Exception {
        Path passwordFile = dir.resolve("password.txt");
        Files.writeString(passwordFile, "secret\n");
        List<String> base = List.of(
                "send",
                "--url",
                certMock.uri().toString(),
                "--trust",
                certMock.caCertificateFile().toString(),
                "--cert",
                p12.toString(),
                "--body",
                "hi");

        Run fromFile = cli().run(CliTesting.args(base, "--password-file", passwordFile.toString(), token(11)));
        String[] asked = new String[1];
        Run prompted = cli().prompt(text -> {
                    asked[0] = text;
                    return "secret".toCharArray();
                })
                .run(CliTesting.args(base, token(12)));
        Run fromDefaultVariable = cli().env("APNS_CERT_PASSWORD", "secret").run(CliTesting.args(base, token(13)));

        assertThat(fromFile.exitCode()).as(fromFile.toString()).isZero();
        assertThat(prompted.exitCode()).as(prompted.toString()).isZero();
        assertThat(asked[0]).isEqualTo("Password for the PKCS#12 file " + p12 + ": ");
        assertThat(fromDefaultVariable.exitCode())
                .as(fromDefaultVariable.toString())
                .isZero();
        assertThat(certMock.acceptedRequests()).hasSize(3);
    }

    @Test
    void aWrongPasswordSaysWhatToFixAndSendsNothing() {
        Run run = cli().env("P12_PASSWORD", "not-it").run(CliTesting.args(certArgs(), "--body", "hi", token(14)));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err())
                .contains("certificate file " + p12)
                .contains("wrong password")
                .contains("--password-env")
                .doesNotContain("not-it");
        assertThat(certMock.requests()).isEmpty();
    }

    @Test
    void aMissingPasswordVariableIsNamed() {
        Run run = cli().run(CliTesting.args(certArgs(), "--body", "hi", token(15)));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--password-env P12_PASSWORD: the environment variable P12_PASSWORD is not set");
    }

    @Test
    void missingFilesAreNamed() {
        Path nowhere = dir.resolve("nowhere");
        Run p8Missing = cli().run(
                        "send",
                        "--p8",
                        nowhere.resolve("AuthKey_ABC123DEFG.p8").toString(),
                        "--team-id",
                        TEAM_ID,
                        "--topic",
                        TOPIC,
                        "--body",
                        "hi",
                        token(16));
        Run certMissing = cli().run("send", "--cert", nowhere.resolve("c.p12").toString(), "--body", "hi", token(16));
        Run trustMissing = cli().run(
                        "send",
                        "--cert",
                        p12.toString(),
                        "--trust",
                        nowhere.resolve("ca.pem").toString(),
                        "--body",
                        "hi",
                        token(16));
        Run payloadMissing = cli().run(
                        "send",
                        "--cert",
                        p12.toString(),
                        "--payload",
                        nowhere.resolve("p.json").toString(),
                        token(16));
        Run tokensMissing = cli().run(
                        "send",
                        "--url",
                        certMock.uri().toString(),
                        "--cert",
                        p12.toString(),
                        "--body",
                        "hi",
                        "--tokens",
                        nowhere.resolve("tokens.txt").toString());

        assertThat(p8Missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(p8Missing.err())
                .contains("the AuthKey (.p8) file " + nowhere.resolve("AuthKey_ABC123DEFG.p8") + " does not exist");
        assertThat(certMissing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(certMissing.err()).contains("the certificate file " + nowhere.resolve("c.p12") + " does not exist");
        assertThat(trustMissing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(trustMissing.err()).contains("the CA certificate file does not exist");
        assertThat(payloadMissing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(payloadMissing.err())
                .contains("--payload " + nowhere.resolve("p.json") + ": the file does not exist");
        assertThat(tokensMissing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(tokensMissing.err()).contains("the file does not exist");
        assertThat(certMock.requests()).isEmpty();
    }

    @Test
    void aFileThatIsNotAnEcKeyIsRefused() throws Exception {
        Path notAKey = dir.resolve("AuthKey_ABC123DEFG-bad.p8");
        Files.writeString(notAKey, "hello\n");

        Run run = cli().run(
                        "send",
                        "--p8",
                        notAKey.toString(),
                        "--key-id",
                        KEY_ID,
                        "--team-id",
                        TEAM_ID,
                        "--topic",
                        TOPIC,
                        "--body",
                        "hi",
                        token(17));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("AuthKey file " + notAKey + ": ");
    }

    @Test
    void aTokenThatIsNotHexIsRefusedBeforeAnythingIsSent() {
        Run run =
                cli().env("P12_PASSWORD", "secret").run(CliTesting.args(certArgs(), "--body", "hi", token(18), "xyz"));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("the device token 'xyz' has 'x' at index 0");
        assertThat(certMock.requests()).isEmpty();
    }

    @Test
    void credentialsAreRequiredAndOnlyOneKind() {
        Run none = cli().run("send", "--topic", TOPIC, "--body", "hi", token(19));
        Run both = cli().run(
                        "send",
                        "--p8",
                        p8.toString(),
                        "--cert",
                        p12.toString(),
                        "--topic",
                        TOPIC,
                        "--body",
                        "hi",
                        token(19));

        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("no credentials: give --p8");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("choose token or certificate authentication");
    }

    @Test
    void aServerThatCannotBeReachedExitsThree() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Run run = cli().env("P12_PASSWORD", "secret")
                .run(
                        "send",
                        "--url",
                        "https://127.0.0.1:" + closedPort,
                        "--cert",
                        p12.toString(),
                        "--password-env",
                        "P12_PASSWORD",
                        "--timeout",
                        "1s",
                        "--body",
                        "hi",
                        token(20));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NO_ANSWER);
        assertThat(run.err())
                .contains("cannot connect to https://127.0.0.1:" + closedPort)
                .contains("nothing was sent");
    }

    @Test
    void aServerWhoseCertificateIsNotTrustedExitsThree() {
        Run run = cli().env("P12_PASSWORD", "secret")
                .run(
                        "send",
                        "--url",
                        certMock.uri().toString(),
                        "--cert",
                        p12.toString(),
                        "--password-env",
                        "P12_PASSWORD",
                        "--timeout",
                        "5s",
                        "--body",
                        "hi",
                        token(21));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NO_ANSWER);
        assertThat(run.err()).contains("cannot connect to " + certMock.uri()).contains("--trust");
    }
}
