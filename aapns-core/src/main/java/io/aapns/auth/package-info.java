/**
 * Credentials for APNs. Token auth: {@link io.aapns.auth.SigningKey} (Apple's .p8 key), {@link io.aapns.auth.JwtSigner}
 * (mints ES256 provider tokens) and {@link io.aapns.auth.ProviderTokenHolder} (one token per connection, renewed on
 * schedule). Certificate auth: {@code ClientCertificate}.
 *
 * <p>A leaf package: it depends on nothing else in aapns; JDK crypto only.
 */
package io.aapns.auth;
