package io.aapns.model;

import java.util.Objects;

/**
 * The alert a notification shows: a title, a subtitle and a body, each either plain text or a {@link Localized} key
 * looked up on the device, and optionally a launch image.
 *
 * <pre>{@code
 * Alert alert = Alert.builder()
 *     .title("Hi")
 *     .body(Localized.of("GREETING", "Bob"))
 *     .build();
 * }</pre>
 *
 * <p>For an alert that is only a body text, {@code Notification.builder().alert("text")} sends the shorter
 * {@code "alert":"text"} form.
 */
public final class Alert {

    private final String title;
    private final Localized localizedTitle;
    private final String subtitle;
    private final Localized localizedSubtitle;
    private final String body;
    private final Localized localizedBody;
    private final String launchImage;

    private Alert(Builder builder) {
        this.title = builder.title;
        this.localizedTitle = builder.localizedTitle;
        this.subtitle = builder.subtitle;
        this.localizedSubtitle = builder.localizedSubtitle;
        this.body = builder.body;
        this.localizedBody = builder.localizedBody;
        this.launchImage = builder.launchImage;
    }

    /** Returns a builder of an alert. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder that starts with this alert's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.title = title;
        b.localizedTitle = localizedTitle;
        b.subtitle = subtitle;
        b.localizedSubtitle = localizedSubtitle;
        b.body = body;
        b.localizedBody = localizedBody;
        b.launchImage = launchImage;
        return b;
    }

    /** Returns the plain title ({@code title}), or null. */
    public String title() {
        return title;
    }

    /** Returns the localized title ({@code title-loc-key}, {@code title-loc-args}), or null. */
    public Localized localizedTitle() {
        return localizedTitle;
    }

    /** Returns the plain subtitle ({@code subtitle}), or null. */
    public String subtitle() {
        return subtitle;
    }

    /** Returns the localized subtitle ({@code subtitle-loc-key}, {@code subtitle-loc-args}), or null. */
    public Localized localizedSubtitle() {
        return localizedSubtitle;
    }

    /** Returns the plain body ({@code body}), or null. */
    public String body() {
        return body;
    }

    /** Returns the localized body ({@code loc-key}, {@code loc-args}), or null. */
    public Localized localizedBody() {
        return localizedBody;
    }

    /** Returns the launch image file name ({@code launch-image}), or null. */
    public String launchImage() {
        return launchImage;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Alert other
                && Objects.equals(title, other.title)
                && Objects.equals(localizedTitle, other.localizedTitle)
                && Objects.equals(subtitle, other.subtitle)
                && Objects.equals(localizedSubtitle, other.localizedSubtitle)
                && Objects.equals(body, other.body)
                && Objects.equals(localizedBody, other.localizedBody)
                && Objects.equals(launchImage, other.launchImage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(title, localizedTitle, subtitle, localizedSubtitle, body, localizedBody, launchImage);
    }

    @Override
    public String toString() {
        return "Alert{title=" + (title != null ? title : localizedTitle)
                + ", subtitle=" + (subtitle != null ? subtitle : localizedSubtitle)
                + ", body=" + (body != null ? body : localizedBody)
                + (launchImage != null ? ", launchImage=" + launchImage : "") + "}";
    }

    /**
     * Builds an {@link Alert}. Setting a part as plain text replaces a localized value of the same part, and the other
     * way round; null clears it.
     */
    public static final class Builder {
        private String title;
        private Localized localizedTitle;
        private String subtitle;
        private Localized localizedSubtitle;
        private String body;
        private Localized localizedBody;
        private String launchImage;

        private Builder() {}

        /** Sets the title as plain text. */
        public Builder title(String title) {
            this.title = title;
            this.localizedTitle = null;
            return this;
        }

        /** Sets the title as a localized key with arguments. */
        public Builder title(Localized title) {
            this.localizedTitle = title;
            this.title = null;
            return this;
        }

        /** Sets the subtitle as plain text. */
        public Builder subtitle(String subtitle) {
            this.subtitle = subtitle;
            this.localizedSubtitle = null;
            return this;
        }

        /** Sets the subtitle as a localized key with arguments. */
        public Builder subtitle(Localized subtitle) {
            this.localizedSubtitle = subtitle;
            this.subtitle = null;
            return this;
        }

        /** Sets the body as plain text. */
        public Builder body(String body) {
            this.body = body;
            this.localizedBody = null;
            return this;
        }

        /** Sets the body as a localized key with arguments. */
        public Builder body(Localized body) {
            this.localizedBody = body;
            this.body = null;
            return this;
        }

        /** Sets the image file shown while the app launches from the notification. */
        public Builder launchImage(String launchImage) {
            this.launchImage = launchImage;
            return this;
        }

        /**
         * Builds the alert.
         *
         * @throws IllegalArgumentException if it has no title, subtitle or body
         */
        public Alert build() {
            if (title == null
                    && localizedTitle == null
                    && subtitle == null
                    && localizedSubtitle == null
                    && body == null
                    && localizedBody == null) {
                throw new IllegalArgumentException("an Alert needs a title, subtitle or body (plain or Localized)");
            }
            return new Alert(this);
        }
    }
}
