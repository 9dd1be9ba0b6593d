package io.aapns.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.core.io.support.SpringFactoriesLoader;

class ApnsRuntimeHintsTests {

    @Test
    void registeredInAotFactories() {
        assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
                        .load(RuntimeHintsRegistrar.class))
                .hasAtLeastOneElementOfType(ApnsRuntimeHints.class);
    }

    @Test
    void theEpollTransportIsReachableByNameWhenItIsOnTheClassPath() {
        RuntimeHints hints = new RuntimeHints();
        new ApnsRuntimeHints().registerHints(hints, getClass().getClassLoader());
        assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(ApnsRuntimeHints.EPOLL)))
                .accepts(hints);
    }

    @Test
    void noHintForAnEpollTransportThatIsNotThere() {
        RuntimeHints hints = new RuntimeHints();
        new ApnsRuntimeHints().registerHints(hints, new FilteredClassLoader("io.netty.channel.epoll"));
        assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(ApnsRuntimeHints.EPOLL)))
                .rejects(hints);
    }
}
