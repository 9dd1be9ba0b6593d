package io.aapns.spring.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Points the test context's auto-configured {@code ApnsClient} at a mock APNs server started for that context, so a
 * {@code @SpringBootTest} tests the application's push code without Apple and without TLS set-up of its own.
 *
 * <p>The server ({@link io.aapns.mock.MockApnsServer}, with Apple's validation, recorded requests and fault switches)
 * is the bean {@code mockApnsServer}: inject it to assert what was sent or to inject faults. It issues the client's
 * credentials itself: a client certificate for the topic, or (with {@link Authentication#TOKEN}) a signing key it
 * knows. {@code aapns.url}, {@code aapns.trust-certificates}, {@code aapns.topic} and the credential properties are set
 * for the test, over what the application's configuration says, so a configuration for Apple's servers does not get in
 * the way. With named clients ({@code aapns.clients.<name>.*}) every one of them is pointed at the same server with
 * credentials of its own: for its own topic, of the kind its configuration names (token properties: a token; client
 * certificate properties: a certificate), else of the kind {@link #authentication()} says; token clients share one key
 * the server knows. The server closes with the context, after the clients. Contexts with the same attributes share one
 * server through Spring's context cache; call {@code mockApnsServer.reset()} between tests that count requests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureMockApns {

    /** The app's bundle id the credentials are for; empty means {@code aapns.topic}, else {@code com.example.app}. */
    String topic() default "";

    /** How the client authenticates to the mock server (default a client certificate). */
    Authentication authentication() default Authentication.CERTIFICATE;

    /** Whether the server behaves as APNs' development environment (it then answers with {@code apns-unique-id}). */
    boolean development() default true;

    /** The two ways a client authenticates to APNs. */
    enum Authentication {
        /** A client certificate the mock server issued for the topic. */
        CERTIFICATE,
        /** A provider token signed with a .p8 key the mock server knows. */
        TOKEN
    }
}
