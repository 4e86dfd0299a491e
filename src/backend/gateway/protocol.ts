/** What a Transport Gateway and the service agree on (S82, S83, S86). */

/** Where a gateway forwards each queued message (POST; XML as `application/xml`, mail as `message/rfc822`). */
export const GATEWAY_FORWARD_PATH = '/gateway/v1/messages';
/** Cheap authenticated request behind `callhome gateway test-connection` (GET). */
export const GATEWAY_PING_PATH = '/gateway/v1/ping';
/** Where a gateway reports its status (POST, a GatewayStatus as JSON; S94, S96). */
export const GATEWAY_STATUS_PATH = '/gateway/v1/status';
/** `<gateway ID>:<password>` on every gateway request (over TLS in production). */
export const GATEWAY_AUTH_HEADER = 'x-callhome-gateway';
/** Set by the service on an answer when it rotated the gateway's expired password: the new one. */
export const GATEWAY_NEW_PASSWORD_HEADER = 'x-callhome-gateway-new-password';
/** How the message reached the gateway: http, https, email or mailbox. */
export const GATEWAY_SOURCE_HEADER = 'x-callhome-gateway-source';
/** Content type of a forwarded mail. */
export const MAIL_CONTENT_TYPE = 'message/rfc822';

/** Formats the auth header value. */
export function gatewayAuth(id: string, password: string): string {
  return `${id}:${password}`;
}
