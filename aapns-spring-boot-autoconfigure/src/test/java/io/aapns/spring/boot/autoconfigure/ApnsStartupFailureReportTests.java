package io.aapns.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * A real SpringApplication start: Boot finds ApnsFailureAnalyzer through spring.factories and
 * prints its report, ahead of Boot's own binding analyzer for aapns.environment.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApnsStartupFailureReportTests {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ApnsAutoConfiguration.class)
    static class App {
    }

    private static void start(String... properties) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties(properties).run().close()).isInstanceOf(RuntimeException.class);
    }

    @Test
    void unknownEnvironmentIsReportedByOurAnalyzer(CapturedOutput output) {
        start("aapns.environment=sandbox", "spring.main.banner-mode=off");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("aapns.environment is 'sandbox'")
                .contains("Set aapns.environment to production or development");
    }

    @Test
    void noCredentialsIsReported(CapturedOutput output) {
        start("spring.main.banner-mode=off");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("No APNs credentials are configured")
                .contains("aapns.enabled=false");
    }
}
