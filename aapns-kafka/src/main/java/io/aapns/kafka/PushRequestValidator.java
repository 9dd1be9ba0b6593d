package io.aapns.kafka;

import io.aapns.internal.Validation;
import io.aapns.model.PushType;
import java.util.Optional;

/**
 * The checks {@code ApnsClient.send} makes before it sends, made on a {@link PushRequest}: the device token (hex, whole
 * bytes), the payload size for the push type (given, or inferred from the notification as the client does), the topic
 * (the request's, or the default one when known) and the priority for the push type. The publisher runs them before
 * writing a record, the worker before sending one, so that a bad request never reaches the topic and a bad record goes
 * to the dead-letter topic instead of APNs.
 */
public final class PushRequestValidator {

    private final String defaultTopic;
    private final boolean requireTopic;

    /**
     * Creates a validator. {@code defaultTopic} is the client's {@code apns-topic}, or null when there is none;
     * {@code requireTopic} fails a request without a topic when there is no default, as the client does (the worker);
     * the publisher of an application without a client passes false: the worker's client supplies the topic.
     */
    public PushRequestValidator(String defaultTopic, boolean requireTopic) {
        this.defaultTopic = defaultTopic;
        this.requireTopic = requireTopic;
    }

    /**
     * Checks a request and returns it with its device token normalized (lowercase hex, spaces and brackets removed)
     * and, when the options had none, the push type the client would infer.
     *
     * @throws InvalidPushRequestException saying what to fix
     */
    public PushRequest validate(PushRequest request) {
        try {
            String token = Validation.normalizeDeviceToken(request.deviceToken());
            Optional<PushType> given = request.options().pushType();
            PushType pushType = given.orElseGet(
                    () -> PushType.inferFrom(request.notification()).orElse(PushType.ALERT));
            Validation.checkNotification(
                    request.notification(),
                    pushType,
                    request.options().priority().orElse(null));
            Optional<String> topic = request.options().topic().or(() -> Optional.ofNullable(defaultTopic));
            if (topic.isPresent()) {
                Validation.checkTopic(pushType.topicFor(topic.get()));
            } else if (requireTopic) {
                throw new InvalidPushRequestException("no topic: the request has no options.topic and the client"
                        + " has no default (set aapns.topic to the app's bundle id)");
            }
            if (token.equals(request.deviceToken())) {
                return request;
            }
            return request.toBuilder().deviceToken(token).build();
        } catch (InvalidPushRequestException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidPushRequestException(e.getMessage(), e);
        }
    }

    /** Returns the default topic checked against, if known. */
    public Optional<String> defaultTopic() {
        return Optional.ofNullable(defaultTopic);
    }
}
