/**
 * Helpers shared between the packages of aapns-core: header names ({@link io.aapns.internal.ApnsHeaders}), input
 * validation ({@link io.aapns.internal.Validation}) and provider-token minting ({@link io.aapns.internal.JwtSigner},
 * {@link io.aapns.internal.ProviderTokenHolder}).
 *
 * <p><strong>Not API.</strong> These classes are public only so that sibling packages can use them; they may change or
 * go away in any release. Use {@code ApnsClient}, {@code Pool}, {@code Connection} and the model types instead.
 */
package io.aapns.internal;
