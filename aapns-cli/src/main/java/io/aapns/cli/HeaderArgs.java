package io.aapns.cli;

import io.aapns.api.SendOptions;
import io.aapns.model.Priority;
import io.aapns.model.PushType;
import java.time.Instant;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of {@code send} that travel as APNs request headers: push type, priority, expiration, collapse id,
 * apns-id and topic. They become one {@link SendOptions} per notification.
 */
final class HeaderArgs {

    @Option(
            names = "--push-type",
            paramLabel = "TYPE",
            converter = PushTypeConverter.class,
            description = "apns-push-type: alert, background, location, voip, complication, fileprovider, mdm,"
                    + " liveactivity, pushtotalk or widgets (default: from the content, else alert)")
    PushType pushType;

    @Option(
            names = "--priority",
            paramLabel = "10|5|1",
            description = "apns-priority: 10 now, 5 with regard to power (required for background), 1 power first")
    Integer priority;

    @Option(
            names = "--expiration",
            paramLabel = "EPOCH|0",
            description =
                    "apns-expiration: until when APNs keeps trying (epoch seconds); 0 delivers once, never stores")
    Long expiration;

    @Option(
            names = "--collapse-id",
            paramLabel = "ID",
            description = "apns-collapse-id: notifications with the same id replace each other (at most 64 bytes)")
    String collapseId;

    @Option(
            names = "--apns-id",
            paramLabel = "UUID",
            description = "apns-id: the notification's id (default: a new random UUID per notification)")
    String apnsId;

    @Option(
            names = "--topic",
            paramLabel = "BUNDLE_ID",
            description = "apns-topic: the app's bundle id; the push type's suffix (.voip, ...) is added (env"
                    + " APNS_TOPIC; with a certificate, its bundle id by default)")
    String topic;

    /** The fixed apns-id, checked; null when each notification gets its own. */
    UUID fixedApnsId() {
        if (apnsId == null) {
            return null;
        }
        try {
            UUID id = UUID.fromString(apnsId);
            if (!id.toString().equalsIgnoreCase(apnsId.trim())) {
                throw new IllegalArgumentException("not canonical");
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new CliException("--apns-id " + apnsId + " is not a UUID: write it as"
                    + " 123e4567-e89b-12d3-a456-426614174000, or leave it out for a random one");
        }
    }

    /** The priority, checked. */
    Priority priority() {
        if (priority == null) {
            return null;
        }
        try {
            return Priority.of(priority);
        } catch (IllegalArgumentException e) {
            throw new CliException("--priority " + priority + ": " + e.getMessage());
        }
    }

    /** The expiration, checked: null for none, {@link Instant#EPOCH} for 0. */
    Instant expiration() {
        if (expiration == null) {
            return null;
        }
        if (expiration < 0) {
            throw new CliException("--expiration " + expiration + " must be epoch seconds, or 0 to deliver once");
        }
        return Instant.ofEpochSecond(expiration);
    }

    /**
     * The options for one notification.
     *
     * @param effectivePushType the push type to send (given, or inferred; null lets the client choose)
     * @param id the notification's apns-id
     * @throws IllegalArgumentException if the collapse id is not one APNs accepts
     */
    SendOptions sendOptions(PushType effectivePushType, UUID id, java.time.Duration timeout) {
        SendOptions.Builder b = SendOptions.builder().apnsId(id).timeout(timeout);
        if (effectivePushType != null) {
            b.pushType(effectivePushType);
        }
        Priority p = priority();
        if (p != null) {
            b.priority(p);
        }
        Instant e = expiration();
        if (e != null) {
            b.expiration(e);
        }
        if (collapseId != null) {
            b.collapseId(collapseId);
        }
        return b.build();
    }

    /** Reads {@code --push-type} as the header spells it. */
    static final class PushTypeConverter implements CommandLine.ITypeConverter<PushType> {
        @Override
        public PushType convert(String value) {
            try {
                return PushType.fromHeaderValue(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
