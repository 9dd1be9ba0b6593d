/**
 * What is sent: {@link io.aapns.model.Notification} and its parts ({@link io.aapns.model.Alert},
 * {@link io.aapns.model.Localized}, {@link io.aapns.model.Sound}, {@link io.aapns.model.LiveActivity}), the request
 * attributes that travel as headers ({@link io.aapns.model.PushType}, {@link io.aapns.model.Priority}), the JSON
 * encoding ({@link io.aapns.model.NotificationEncoder}) and the checks made before anything is sent
 * ({@link io.aapns.model.Validation}).
 *
 * <p>A leaf package: it depends on nothing else in aapns. All types are immutable.
 */
package io.aapns.model;
