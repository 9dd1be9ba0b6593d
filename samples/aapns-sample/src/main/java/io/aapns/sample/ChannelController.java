package io.aapns.sample;

import io.aapns.api.ApnsClient;
import io.aapns.api.BroadcastOptions;
import io.aapns.channels.ApnsChannels;
import io.aapns.channels.ChannelRejectedException;
import io.aapns.errors.ApnsException;
import io.aapns.model.LiveActivity;
import io.aapns.model.MessageStoragePolicy;
import io.aapns.model.Notification;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Broadcast push in the sample (with {@code aapns.broadcast.enabled=true}):
 *
 * <ul>
 *   <li>{@code POST /channels} {@code {"storagePolicy": 0}} creates a channel: {@code {"channelId": "..."}};
 *   <li>{@code GET /channels} lists the channel ids;
 *   <li>{@code POST /broadcasts} {@code {"channelId": "...", "contentState": {...}, "end": false}} sends a Live
 *       Activity update (or end) to every subscriber of the channel, answering with APNs' verdict;
 *   <li>{@code DELETE /channels} {@code {"channelId": "..."}} deletes a channel.
 * </ul>
 *
 * Channel ids are base64 (with {@code +}, {@code /} and {@code =}), so they travel in bodies rather than paths. A
 * rejection by APNs of a channel call is a 400 with its reason.
 */
@RestController
public class ChannelController {

    private final ApnsChannels channels;
    private final ApnsClient apns;

    public ChannelController(ApnsChannels channels, ApnsClient apns) {
        this.channels = channels;
        this.apns = apns;
    }

    /** A channel to create: its message-storage-policy, 0 (default) or 1. */
    public record CreateRequest(Integer storagePolicy) {}

    /** A channel to delete. */
    public record ChannelRequest(String channelId) {}

    /** A broadcast: the channel, the Live Activity's new content-state, and whether it ends the activity. */
    public record BroadcastRequest(String channelId, Map<String, Object> contentState, Boolean end) {}

    @PostMapping("/channels")
    public CompletableFuture<Map<String, String>> create(@RequestBody(required = false) CreateRequest request) {
        int policy = request == null || request.storagePolicy() == null ? 0 : request.storagePolicy();
        return channels.create(MessageStoragePolicy.fromValue(policy)).thenApply(id -> Map.of("channelId", id));
    }

    @GetMapping("/channels")
    public CompletableFuture<Map<String, List<String>>> list() {
        return channels.list().thenApply(ids -> Map.of("channels", ids));
    }

    @DeleteMapping("/channels")
    public CompletableFuture<Map<String, String>> delete(@RequestBody ChannelRequest request) {
        String id = required(request == null ? null : request.channelId());
        return channels.delete(id).thenApply(v -> Map.of("deleted", id));
    }

    @PostMapping("/broadcasts")
    public CompletableFuture<NotificationController.PushResponse> broadcast(@RequestBody BroadcastRequest request) {
        String id = required(request.channelId());
        Map<String, Object> state = request.contentState() == null ? Map.of() : request.contentState();
        LiveActivity.Builder activity = Boolean.TRUE.equals(request.end()) ? LiveActivity.end() : LiveActivity.update();
        Notification notification = Notification.builder()
                .liveActivity(
                        activity.timestamp(Instant.now()).contentState(state).build())
                .build();
        return apns.broadcast(id, notification, BroadcastOptions.defaults())
                .thenApply(NotificationController.PushResponse::of);
    }

    private static String required(String channelId) {
        if (channelId == null || channelId.isBlank()) {
            throw new IllegalArgumentException("channelId is required: the id POST /channels returned");
        }
        return channelId;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", String.valueOf(e.getMessage())));
    }

    @ExceptionHandler(ChannelRejectedException.class)
    ResponseEntity<Map<String, String>> rejected(ChannelRejectedException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                .body(Map.of("error", String.valueOf(e.getMessage()), "reason", String.valueOf(e.reasonText())));
    }

    @ExceptionHandler({ApnsException.class, CompletionException.class})
    ResponseEntity<Map<String, String>> noAnswer(Exception e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ChannelRejectedException rejected) {
            return rejected(rejected);
        }
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("error", String.valueOf(cause.getMessage())));
    }
}
