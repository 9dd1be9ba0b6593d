package io.aapns.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.mock.MockApnsServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * A real SpringApplication start: Boot finds ApnsFailureAnalyzer through spring.factories and prints its report, ahead
 * of Boot's own binding analyzer for aapns.environment.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApnsStartupFailureReportTests {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ApnsAutoConfiguration.class)
    static class App {}

    private static void start(String... properties) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class)
                        .web(WebApplicationType.NONE)
                        .properties(properties)
                        .run()
                        .close())
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void unknownEnvironmentIsReportedByOurAnalyzer(CapturedOutput output) {
        start("aapns.environment=sandbox", "spring.main.banner-mode=off");
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("aapns.environment is 'sandbox'")
                .contains("Set aapns.environment to production or development");
    }

    @Test
    void noCredentialsIsReported(CapturedOutput output) {
        start("spring.main.banner-mode=off");
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("No APNs credentials are configured")
                .contains("aapns.enabled=false");
    }

    @Test
    void noConnectionWithinTheInitializationFailTimeoutIsReported(CapturedOutput output, @TempDir Path dir) {
        try (MockApnsServer ca = MockApnsServer.startDefault()) {
            start(
                    "spring.main.banner-mode=off",
                    "aapns.url=https://127.0.0.1:" + ApnsStartupTests.freePort(),
                    TestFiles.trust(ca),
                    "aapns.topic=" + TestFiles.TOPIC,
                    "aapns.certificate.path=file:" + TestFiles.pkcs12(ca, dir),
                    "aapns.certificate.password=" + TestFiles.PASSWORD,
                    "aapns.initialization-fail-timeout=300ms");
        }
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("No connection to APNs at https://127.0.0.1:")
                .contains("within aapns.initialization-fail-timeout (300ms)")
                .contains("unset aapns.initialization-fail-timeout to start anyway");
    }
}
