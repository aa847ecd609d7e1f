/**
 * Validation of WebSocket API route keys (`sendmessage`, `$default`).
 * Free of aws-cdk-lib imports on purpose: the project type loads it when `.projenrc.ts` runs.
 */

/** The route keys API Gateway reserves; `$connect` and `$disconnect` are not custom routes. */
export const WEBSOCKET_RESERVED_ROUTE_KEYS = ['$connect', '$disconnect', '$default'];

const CUSTOM_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Throws when `key` is not a WebSocket route key, naming the key and saying what to use instead.
 * With `allowLifecycle` false, `$connect` and `$disconnect` are refused as custom routes.
 */
export function validateWebSocketRouteKey(key: string, allowLifecycle: boolean): void {
  if (key === '$default') return;
  if (key === '$connect' || key === '$disconnect') {
    if (allowLifecycle) return;
    throw new Error(`WebSocket route key "${key}" is reserved: it is not a custom route. Give its handler as ${key === '$connect' ? 'connectHandler' : 'disconnectHandler'} instead.`);
  }
  if (!CUSTOM_KEY.test(key)) {
    throw new Error(`WebSocket route key "${key}" is not valid: use 1 to 128 letters, digits, "_", ".", ":" or "-" with no spaces and no leading "$", e.g. "sendmessage".`);
  }
}
