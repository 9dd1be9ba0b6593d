package io.aapns.cli;

import io.aapns.model.Alert;
import io.aapns.model.LiveActivity;
import io.aapns.model.Notification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The options of {@code broadcast} that make its Live Activity payload: the event (update or end), the content-state,
 * the timestamp, stale and dismissal dates, and an alert.
 */
final class LiveActivityArgs {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(
            names = "--event",
            paramLabel = "update|end",
            defaultValue = "update",
            description =
                    "update the Live Activity, or end it (default ${DEFAULT-VALUE}); a broadcast cannot start" + " one")
    String event;

    @Option(
            names = "--content-state",
            paramLabel = "JSON|@FILE",
            description = "the activity's ContentState as a JSON object, or @FILE to read it from a file; required for"
                    + " update: --content-state '{\"home\":2,\"away\":1}'")
    String contentState;

    @Option(
            names = "--timestamp",
            paramLabel = "EPOCH",
            description = "when the content was current, epoch seconds (default: now); devices ignore older updates")
    Long timestamp;

    @Option(
            names = "--stale-date",
            paramLabel = "EPOCH",
            description = "when the content becomes outdated, epoch seconds")
    Long staleDate;

    @Option(
            names = "--dismissal-date",
            paramLabel = "EPOCH",
            description = "with --event end: when the system removes the ended activity, epoch seconds")
    Long dismissalDate;

    @Option(names = "--title", paramLabel = "TEXT", description = "an alert's title, shown with the update")
    String title;

    @Option(names = "--body", paramLabel = "TEXT", description = "an alert's body")
    String body;

    /**
     * Builds the notification, reading {@code --content-state @FILE}.
     *
     * @throws CliException saying which option to fix
     */
    Notification build() {
        String e = event.trim().toLowerCase(Locale.ROOT);
        LiveActivity.Builder activity = switch (e) {
            case "update" -> LiveActivity.update();
            case "end" -> LiveActivity.end();
            case "start" ->
                throw new CliException("--event start: a broadcast cannot start a Live Activity; start it"
                        + " with a push-to-start to a device token (aapns send), or in the app");
            default -> throw new CliException("--event " + event + ": use update or end");
        };
        if (contentState == null && e.equals("update")) {
            throw new CliException("--content-state is missing: an update carries the activity's ContentState, such"
                    + " as --content-state '{\"home\":2,\"away\":1}' (or @FILE)");
        }
        if (dismissalDate != null && !e.equals("end")) {
            throw new CliException("--dismissal-date is for --event end: it says when the ended activity goes away");
        }
        activity.timestamp(timestamp != null ? epoch("--timestamp", timestamp) : Instant.now());
        if (contentState != null) {
            activity.contentState(contentState());
        }
        if (dismissalDate != null) {
            activity.dismissalDate(epoch("--dismissal-date", dismissalDate));
        }
        Notification.Builder b = Notification.builder();
        try {
            b.liveActivity(activity.build());
        } catch (IllegalArgumentException problem) {
            throw new CliException(problem.getMessage());
        }
        if (staleDate != null) {
            b.staleDate(epoch("--stale-date", staleDate));
        }
        if (title != null || body != null) {
            b.alert(Alert.builder().title(title).body(body).build());
        }
        return b.build();
    }

    private Map<String, Object> contentState() {
        String text = contentState;
        String where = "--content-state";
        if (text.startsWith("@")) {
            Path file = Path.of(text.substring(1));
            where = "--content-state " + text;
            if (!Files.isRegularFile(file)) {
                throw new CliException(where + ": the file does not exist");
            }
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException("cannot read " + where + ": " + e.getMessage(), ExitCodes.USAGE, e);
            }
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new CliException(where + " is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new CliException(where + " must be one JSON object, such as {\"home\":2,\"away\":1}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.convertValue(node, Map.class);
        return map;
    }

    private static Instant epoch(String option, long seconds) {
        if (seconds <= 0) {
            throw new CliException(option + " " + seconds + " must be a time in epoch seconds, such as "
                    + Instant.now().getEpochSecond());
        }
        return Instant.ofEpochSecond(seconds);
    }
}
