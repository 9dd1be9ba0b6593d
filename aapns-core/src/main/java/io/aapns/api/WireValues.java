package io.aapns.api;

import io.aapns.internal.Validation;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** What a send puts on the wire that is made per notification: the device path as bytes, a fresh apns-id. */
final class WireValues {

    static final String DEVICE_PATH = "/3/device/";
    private static final byte[] DEVICE_PATH_BYTES = DEVICE_PATH.getBytes(StandardCharsets.US_ASCII);

    private WireValues() {}

    /** The device token of {@code /3/device/<token>} as logs show it: its first 8 digits and an ellipsis. */
    static String shortToken(CharSequence path) {
        String token = path.subSequence(DEVICE_PATH.length(), path.length()).toString();
        return token.length() <= 8 ? token : token.substring(0, 8) + "\u2026";
    }

    /**
     * {@code /3/device/<token>} as the bytes that go on the wire. A token of hex digits (either case, at most
     * {@link Validation#MAX_DEVICE_TOKEN_DIGITS}) is copied straight in, lower-cased; anything else (spaces, angle
     * brackets, a bad digit, too many digits) goes through {@link Validation#normalizeDeviceToken}, which cleans it or
     * says what is wrong.
     */
    static AsciiString devicePath(String deviceToken) {
        if (deviceToken != null) {
            int n = deviceToken.length();
            if (n > 0 && (n & 1) == 0 && n <= Validation.MAX_DEVICE_TOKEN_DIGITS) {
                int at = DEVICE_PATH_BYTES.length;
                byte[] bytes = Arrays.copyOf(DEVICE_PATH_BYTES, at + n);
                int i = 0;
                for (; i < n; i++) {
                    char c = deviceToken.charAt(i);
                    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
                        bytes[at + i] = (byte) c;
                    } else if (c >= 'A' && c <= 'F') {
                        bytes[at + i] = (byte) (c + ('a' - 'A'));
                    } else {
                        break;
                    }
                }
                if (i == n) {
                    return new AsciiString(bytes, false);
                }
            }
        }
        return new AsciiString(DEVICE_PATH + Validation.normalizeDeviceToken(deviceToken));
    }

    /**
     * A fresh id for {@code apns-id}: a random (version 4) UUID. It needs to be unique, not unguessable (APNs only
     * echoes it back), so it draws from {@link ThreadLocalRandom} rather than {@link UUID#randomUUID()}'s
     * {@code SecureRandom}, which costs a lock and about 190 ns per send.
     */
    static AsciiString newApnsId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        byte[] text = new byte[36]; // 8-4-4-4-12 hex digits
        hex(high >>> 32, text, 0, 8);
        text[8] = '-';
        hex(high >>> 16, text, 9, 4);
        text[13] = '-';
        hex(high, text, 14, 4);
        text[18] = '-';
        hex(low >>> 48, text, 19, 4);
        text[23] = '-';
        hex(low, text, 24, 12);
        return new AsciiString(text, false);
    }

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Writes the low {@code digits} hex digits of {@code value} into {@code to} at {@code at}. */
    private static void hex(long value, byte[] to, int at, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            to[i] = HEX_DIGITS[(int) (value & 0xF)];
            value >>>= 4;
        }
    }
}
