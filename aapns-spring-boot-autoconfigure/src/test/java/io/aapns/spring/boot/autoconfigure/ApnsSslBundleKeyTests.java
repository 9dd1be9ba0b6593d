package io.aapns.spring.boot.autoconfigure;

import static io.aapns.spring.boot.autoconfigure.TestFiles.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.mock.MockApnsServer;
import io.aapns.mock.junit.MockApnsServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** An SSL bundle's key and certificate are taken as they are, and a key that is not the certificate's is reported. */
class ApnsSslBundleKeyTests {

    @RegisterExtension
    static MockApnsServerExtension mock = new MockApnsServerExtension();

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApnsAutoConfiguration.class, SslAutoConfiguration.class));

    @Test
    void aPemBundleWhoseKeyIsAnotherCertificatesFailsNamingTheBundle() throws Exception {
        MockApnsServer apns = mock.server();
        Path[] mine = TestFiles.pem(apns.issueClientCertificate(TOPIC), Files.createDirectory(dir.resolve("a")));
        Path[] other = TestFiles.pem(apns.issueClientCertificate(TOPIC), Files.createDirectory(dir.resolve("b")));
        runner.withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.ssl-bundle=apns",
                        "spring.ssl.bundle.pem.apns.keystore.certificate=file:" + mine[0],
                        "spring.ssl.bundle.pem.apns.keystore.private-key=file:" + other[1])
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis a = new ApnsFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(a).isNotNull();
                    assertThat(a.getDescription())
                            .contains("SSL bundle 'apns'")
                            .contains("does not belong to the certificate");
                    assertThat(a.getAction()).contains("spring.ssl.bundle.pem.apns.keystore.certificate");
                });
    }
}
