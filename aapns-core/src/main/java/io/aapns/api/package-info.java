/**
 * The high-level API: {@link io.aapns.api.ApnsClient} sends notifications and answers with a
 * {@link io.aapns.api.PushResult}; {@link io.aapns.api.ApnsServer} says where, and {@link io.aapns.api.SendOptions}
 * how.
 */
package io.aapns.api;
