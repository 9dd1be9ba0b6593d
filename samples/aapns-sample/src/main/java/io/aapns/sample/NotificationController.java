package io.aapns.sample;

import io.aapns.api.ApnsClient;
import io.aapns.api.PushResult;
import io.aapns.errors.ApnsException;
import io.aapns.errors.RequestTimeoutException;
import io.aapns.model.Alert;
import io.aapns.model.Notification;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /notifications} with {@code {"token": "<hex device token>", "title": "...", "body": "..."}} sends an
 * alert and answers with APNs' verdict as JSON (HTTP 200 whether APNs accepted or rejected it; see {@code accepted} and
 * {@code reason}). Bad input is a 400, no answer from APNs a 503 or 504.
 */
@RestController
public class NotificationController {

    private final ApnsClient apns;

    public NotificationController(ApnsClient apns) {
        this.apns = apns;
    }

    /** What a client posts. */
    public record NotificationRequest(String token, String title, String body) {}

    /** The PushResult as JSON. */
    public record PushResponse(
            boolean accepted, int status, String apnsId, String apnsUniqueId, String reason, String timestamp) {

        static PushResponse of(PushResult r) {
            return new PushResponse(
                    r.accepted(),
                    r.status(),
                    r.apnsId(),
                    r.apnsUniqueId().orElse(null),
                    r.reasonText().orElse(null),
                    r.timestamp().map(Object::toString).orElse(null));
        }
    }

    @PostMapping("/notifications")
    public CompletableFuture<PushResponse> send(@RequestBody NotificationRequest request) {
        if (request.token() == null || request.token().isBlank()) {
            throw new IllegalArgumentException("token is required: the device token in hex");
        }
        Alert.Builder alert = Alert.builder();
        if (request.title() != null) {
            alert.title(request.title());
        }
        if (request.body() != null) {
            alert.body(request.body());
        }
        return apns.send(
                        request.token(),
                        Notification.builder().alert(alert.build()).build())
                .thenApply(PushResponse::of);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", String.valueOf(e.getMessage())));
    }

    @ExceptionHandler({ApnsException.class, CompletionException.class})
    ResponseEntity<Map<String, String>> noAnswer(Exception e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        HttpStatus status =
                cause instanceof RequestTimeoutException ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.SERVICE_UNAVAILABLE;
        return ResponseEntity.status(status).body(Map.of("error", String.valueOf(cause.getMessage())));
    }
}
