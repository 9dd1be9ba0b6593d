package io.aapns.sample.kafka;

import java.util.Map;
import java.util.concurrent.CompletionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.KafkaException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The sample's errors as JSON {@code {"error": "..."}}: bad input (a bad token, a count out of bounds) is a 400, Kafka
 * not taking a request a 503.
 */
@RestControllerAdvice
class SampleErrors {

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", String.valueOf(e.getMessage())));
    }

    @ExceptionHandler({KafkaException.class, org.apache.kafka.common.KafkaException.class, CompletionException.class})
    ResponseEntity<Map<String, String>> kafkaUnavailable(Exception e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("error", String.valueOf(cause.getMessage())));
    }
}
