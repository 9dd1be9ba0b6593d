/**
 * Errors of aapns: {@link io.aapns.errors.ApnsException}, its subclasses, and {@link io.aapns.errors.Reason}, every
 * reason string APNs sends with a rejection, with its HTTP status and Apple's advice on retrying.
 *
 * <p>A leaf package: it depends on nothing else in aapns.
 */
package io.aapns.errors;
