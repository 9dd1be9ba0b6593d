package io.aapns.cli;

import io.aapns.api.ApnsServer;
import io.aapns.api.SendOptions;
import io.aapns.internal.Validation;
import io.aapns.model.Notification;
import io.aapns.model.PushType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.UUID;

/**
 * {@code send --dry-run}: checks a notification as {@code ApnsClient.send} would (token, payload size for the push
 * type, topic, priority, collapse id) and prints the request it would make, sending nothing.
 */
final class DryRun {

    private final ApnsServer server;
    private final Notification notification;
    private final PushType pushType;
    private final String topic;
    private final HeaderArgs headers;
    private final Credentials credentials;
    private final Duration timeout;

    DryRun(
            ApnsServer server,
            Notification notification,
            PushType pushType,
            String topic,
            HeaderArgs headers,
            Credentials credentials,
            Duration timeout) {
        this.server = server;
        this.notification = notification;
        this.pushType = pushType != null ? pushType : PushType.ALERT;
        this.topic = topic;
        this.headers = headers;
        this.credentials = credentials;
        this.timeout = timeout;
    }

    /**
     * Checks what does not depend on the token, the same for every notification.
     *
     * @throws CliException saying what to fix
     */
    void checkNotification() {
        if (topic == null) {
            throw new CliException("no topic: give --topic BUNDLE_ID (the app's bundle id), or set APNS_TOPIC");
        }
        try {
            Validation.checkNotification(notification, pushType, headers.priority());
            headers.sendOptions(pushType, UUID.randomUUID(), timeout); // the collapse id's rules
            pushType.topicFor(topic);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** Prints the request for {@code token} (already normalized) to {@code out}. */
    void print(String token, PrintWriter out) {
        UUID id = headers.fixedApnsId() != null ? headers.fixedApnsId() : UUID.randomUUID();
        SendOptions options = headers.sendOptions(pushType, id, timeout);
        out.println("POST " + server.origin() + "/3/device/" + token);
        out.println("apns-topic: " + pushType.topicFor(topic));
        out.println("apns-push-type: " + pushType.headerValue());
        out.println("apns-id: " + id);
        options.priority().ifPresent(p -> out.println("apns-priority: " + p.headerValue()));
        options.expiration().ifPresent(e -> out.println("apns-expiration: " + e.getEpochSecond()));
        options.collapseId().ifPresent(c -> out.println("apns-collapse-id: " + c));
        out.println(credentials != null ? credentials.describe() : "# no credentials given: not checked");
        out.println("# payload: " + notification.payloadSize() + " bytes of " + pushType.maxPayloadBytes()
                + " allowed for " + pushType.headerValue());
        out.println();
        out.println(notification.toJson());
        out.flush();
    }

    /** The token normalized as the request path has it, or a CliException saying what is wrong with it. */
    static String checkToken(String token) {
        try {
            return Validation.normalizeDeviceToken(token);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
