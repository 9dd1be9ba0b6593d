package io.aapns.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The names {@link ApnsClients} reads from an environment before any client exists, and its bean-name rule. */
class ApnsClientsTests {

    @Test
    void configuredNamesAreReadInEverySpellingEachOnce() {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "application",
                        Map.of("aapns.clients.watch.topic", "com.example.watch", "aapns.topic", "com.example")));
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of(
                                        "AAPNS_CLIENTS_VOIP_TOPIC",
                                        "com.example.voip",
                                        "AAPNS_CLIENTS_WATCH_ENABLED",
                                        "false")));

        assertThat(ApnsClients.configuredNames(environment)).containsExactlyInAnyOrder("voip", "watch");
        assertThat(ApnsClients.configuredNames(new StandardEnvironment())).isEmpty();
    }

    @Test
    void aNamedClientsBeanIsItsNameFollowedByApnsClient() {
        assertThat(ApnsClients.beanName("watch")).isEqualTo("watchApnsClient");
        assertThat(ClientNames.ofBean(ApnsClients.beanName("watch"))).isEqualTo("watch");
    }

    @Test
    void anUnknownNameIsRefusedWithTheNamesThereAre() {
        ApnsClients clients = new ApnsClients(Map.of());
        assertThatThrownBy(() -> clients.get("watch"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("aapns.clients.<name>");
    }
}
