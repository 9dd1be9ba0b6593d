package io.aapns.cli;

import java.io.PrintWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where results go, all from one thread: JSON lines to {@code --output} (every result), text lines for a person (every
 * result, or only those that went wrong), and the {@link Tally}.
 */
final class ResultSink {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PrintWriter json;
    private final PrintWriter text;
    private final boolean textForAccepted;
    private final Tally tally;

    /**
     * @param json where JSON lines go, or null for none
     * @param text where text lines go, or null for none
     * @param textForAccepted whether accepted results get a text line too (not in a bulk send)
     */
    ResultSink(PrintWriter json, PrintWriter text, boolean textForAccepted, Tally tally) {
        this.json = json;
        this.text = text;
        this.textForAccepted = textForAccepted;
        this.tally = tally;
    }

    void write(SendResult result) {
        if (json != null) {
            json.println(JSON.writeValueAsString(result.json()));
        }
        if (text != null && (textForAccepted || !result.accepted())) {
            text.println(result.text());
        }
        tally.add(result);
    }

    void flush() {
        if (json != null) {
            json.flush();
        }
        if (text != null) {
            text.flush();
        }
    }
}
