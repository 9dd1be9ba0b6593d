package io.aapns.sample.kafka;

import io.aapns.kafka.ApnsKafkaPublisher;
import io.aapns.model.Alert;
import io.aapns.model.Notification;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /pushes} with {@code {"token": "<hex device token>", "title": "...", "body": "..."}} publishes one push
 * request to the requests topic and answers, once Kafka has it, with where it was written: {@code {"topic",
 * "partition", "offset"}}. The worker sends it later; its outcome goes to the results topic. A bad token is a 400.
 */
@RestController
class PushController {

    private final ApnsKafkaPublisher publisher;

    PushController(ApnsKafkaPublisher publisher) {
        this.publisher = publisher;
    }

    /** What a client posts. */
    record PushBody(String token, String title, String body) {}

    /** Where the request was written. */
    record Written(String topic, int partition, long offset) {}

    @PostMapping("/pushes")
    CompletableFuture<Written> publish(@RequestBody PushBody push) {
        if (push.token() == null || push.token().isBlank()) {
            throw new IllegalArgumentException("token is required: the device token in hex");
        }
        return publisher
                .publish(push.token(), alert(push.title(), push.body()))
                .thenApply(m -> new Written(m.topic(), m.partition(), m.offset()));
    }

    /** An alert with an optional title and body. */
    static Notification alert(String title, String body) {
        Alert.Builder alert = Alert.builder();
        if (title != null) {
            alert.title(title);
        }
        if (body != null) {
            alert.body(body);
        }
        return Notification.builder().alert(alert.build()).build();
    }
}
