package io.aapns.mock;

/** The answer the server gives a request: an HTTP status and, for errors, APNs' reason. */
record Verdict(int status, String reason, Long timestamp) {

    static final Verdict OK = new Verdict(200, null, null);

    static Verdict error(int status, String reason) {
        return new Verdict(status, reason, null);
    }

    boolean ok() {
        return status == 200;
    }
}
