package io.aapns.mock;

import static io.aapns.mock.ValidationTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.mock.junit.MockApnsServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** TLS client certificates: required, issued per topic, and the topic rules they bring. */
class ClientCertificateTest {

    @RegisterExtension
    static MockApnsServerExtension apns = new MockApnsServerExtension(b -> b.requireClientCertificate(true));

    @Test
    void refusesClientsWithoutCertificate() {
        JdkClient client = new JdkClient(apns.server());

        assertThatThrownBy(() -> client.send(client.push())).isInstanceOf(IOException.class);
        assertThat(apns.server().requests()).isEmpty();
    }

    @Test
    void acceptsAnIssuedCertificateAndTakesItsTopic() throws Exception {
        MockClientCertificate certificate = apns.server().issueClientCertificate(JdkClient.TOPIC);
        JdkClient client = new JdkClient(apns.server(), certificate);

        assertThat(client.send(client.push(JdkClient.TOKEN, JdkClient.ALERT)).statusCode())
                .isEqualTo(200);
        assertThat(client.send(client.push(JdkClient.TOKEN, JdkClient.ALERT)
                                .header("apns-topic", JdkClient.TOPIC + ".voip")
                                .header("apns-push-type", "voip"))
                        .statusCode())
                .isEqualTo(200);
        assertError(
                client.send(client.push(JdkClient.TOKEN, JdkClient.ALERT).header("apns-topic", "com.other.app")),
                400,
                "TopicDisallowed");
        assertThat(apns.server().connections())
                .singleElement()
                .satisfies(connection ->
                        assertThat(connection.clientCertificateTopic()).hasValue(JdkClient.TOPIC));
    }

    @Test
    void locationPushesNeedTokenAuthentication() throws Exception {
        JdkClient client = new JdkClient(apns.server(), apns.server().issueClientCertificate(JdkClient.TOPIC));

        assertError(
                client.send(client.push(JdkClient.TOKEN, JdkClient.ALERT)
                        .header("apns-topic", JdkClient.TOPIC + ".location-query")
                        .header("apns-push-type", "location")),
                400,
                "TopicDisallowed");
    }

    @Test
    void writesPkcs12AndPemThatLoadBack(@TempDir Path folder) throws Exception {
        MockClientCertificate certificate = apns.server().issueClientCertificate("com.example.files");

        Path p12 = certificate.writePkcs12(folder.resolve("client.p12"), "secret".toCharArray());
        certificate.writePem(folder.resolve("client.pem"), folder.resolve("client-key.pem"));

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, "secret".toCharArray());
        }
        assertThat(store.getKey("key", "secret".toCharArray())).isEqualTo(certificate.privateKey());
        X509Certificate fromPem;
        try (InputStream in = Files.newInputStream(folder.resolve("client.pem"))) {
            fromPem = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(fromPem).isEqualTo(certificate.certificate());
        assertThat(MockCertificates.topicOf(fromPem)).isEqualTo("com.example.files");
        fromPem.verify(apns.server().caCertificate().getPublicKey());
        assertThat(Files.readString(folder.resolve("client-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void exposesTheCaAsObjectPemAndFile() throws Exception {
        MockApnsServer server = apns.server();
        X509Certificate fromFile;
        try (InputStream in = Files.newInputStream(server.caCertificateFile())) {
            fromFile = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(fromFile).isEqualTo(server.caCertificate());
        assertThat(server.caCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
        server.serverCertificate().verify(server.caCertificate().getPublicKey());
        assertThat(server.serverCertificate().getSubjectAlternativeNames())
                .extracting(san -> san.get(1).toString())
                .contains("127.0.0.1", "localhost");
    }
}
