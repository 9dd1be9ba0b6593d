package io.aapns.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.connection.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeListenerTest {

    private static final Request REQUEST = Request.builder("/3/device/00").build();

    /** Records the retries it hears under its name. */
    private record Named(String name, List<String> heard) implements ApnsListener {
        @Override
        public void requestRetried(Request request, int attempt, Duration delay, String reason, Throwable cause) {
            heard.add(name + ":" + reason);
        }
    }

    @Test
    void noneOneOrMany() {
        assertThat(ApnsListener.all(List.of())).isSameAs(ApnsListener.NONE);
        assertThat(ApnsListener.all(List.of(ApnsListener.NONE, ApnsListener.NONE)))
                .isSameAs(ApnsListener.NONE);
        Named one = new Named("one", new ArrayList<>());
        assertThat(ApnsListener.all(List.of(one, ApnsListener.NONE))).isSameAs(one);
        assertThat(ApnsListener.all(List.of(one, new Named("two", new ArrayList<>()))))
                .isInstanceOf(CompositeListener.class);
    }

    @Test
    void relaysInOrderAndOneThatThrowsDoesNotStopTheOthers() {
        List<String> heard = new ArrayList<>();
        ApnsListener throwing = new ApnsListener() {
            @Override
            public void requestRetried(Request request, int attempt, Duration delay, String reason, Throwable cause) {
                heard.add("throwing");
                throw new IllegalStateException("on purpose");
            }
        };
        ApnsListener all = ApnsListener.all(List.of(new Named("a", heard), throwing, new Named("b", heard)));
        all.requestRetried(REQUEST, 1, Duration.ZERO, "unprocessed", null);
        assertThat(heard).containsExactly("a:unprocessed", "throwing", "b:unprocessed");
    }

    @Test
    void wantsRequestEventsWhenAnyOfItsListenersDoes() {
        ApnsListener quiet = new ApnsListener() {
            @Override
            public boolean wantsRequestEvents() {
                return false;
            }
        };
        ApnsListener alsoQuiet = new ApnsListener() {
            @Override
            public boolean wantsRequestEvents() {
                return false;
            }
        };
        assertThat(ApnsListener.all(List.of(quiet, alsoQuiet)).wantsRequestEvents())
                .isFalse();
        assertThat(ApnsListener.all(List.of(quiet, new Named("x", new ArrayList<>())))
                        .wantsRequestEvents())
                .isTrue();
    }
}
