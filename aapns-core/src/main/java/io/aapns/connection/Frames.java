package io.aapns.connection;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading what the server sends and what went wrong: the {@code :status} of an answer, the reason in a GOAWAY's debug
 * data, and how to tell and describe failures. Pure functions, no state.
 */
final class Frames {

    private static final JsonMapper JSON = JsonMapper.shared();

    private Frames() {}

    /** The three-digit {@code :status} of an answer, or -1 if it is missing or not three digits. */
    static int parseStatus(CharSequence status) {
        if (status == null || status.length() != 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < 3; i++) {
            char c = status.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * The reason of a GOAWAY: the {@code reason} of its JSON debug data, or the debug data as text (at most 200
     * characters) when it is not JSON; null when there is none.
     */
    static String parseGoAwayReason(ByteBuf debugData) {
        if (debugData == null || !debugData.isReadable()) {
            return null;
        }
        String text = debugData
                .toString(debugData.readerIndex(), Math.min(debugData.readableBytes(), 4096), StandardCharsets.UTF_8)
                .trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null
                    && node.isObject()
                    && node.get("reason") != null
                    && node.get("reason").isString()) {
                return node.get("reason").stringValue();
            }
        } catch (RuntimeException notJson) {
            // fall through: keep the text
        }
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    /** Whether {@code t} or one of its causes is a TLS failure. */
    static boolean isTlsFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /** The most telling message of {@code t} and its causes, or its class name when none has one. */
    static String describe(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
