/**
 * Validation of WebSocket API route keys (`sendmessage`, `$default`).
 * Free of aws-cdk-lib imports on purpose: the project type loads it when `.projenrc.ts` runs.
 */

/** The route keys API Gateway predefines, with when it calls them; they are not custom routes. */
const PREDEFINED: Record<string, string> = {
  $connect: 'when a client connects',
  $disconnect: 'when a client disconnects',
  $default: 'for the messages no other route matches',
};

/** The route keys API Gateway predefines: `$connect`, `$disconnect`, `$default`. */
export const WEBSOCKET_RESERVED_ROUTE_KEYS = Object.keys(PREDEFINED);

const CUSTOM_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Throws when `key` is not a WebSocket route key, naming the key and saying what to use instead.
 * @param allowPredefined whether `$connect`, `$disconnect` and `$default` are accepted; with false only custom
 * route keys are
 */
export function validateWebSocketRouteKey(key: string, allowPredefined: boolean): void {
  if (WEBSOCKET_RESERVED_ROUTE_KEYS.includes(key)) {
    if (allowPredefined) return;
    throw new Error(`WebSocket route key "${key}" is predefined, not a custom route: API Gateway calls it ${PREDEFINED[key]}. `
      + `Remove it from the custom routes; its code goes in the ${key.slice(1)} handler.`);
  }
  if (!CUSTOM_KEY.test(key)) {
    const suggestion = key.replace(/^\$+/, '').replace(/[^A-Za-z0-9_.:-]+/g, '-').slice(0, 128);
    throw new Error(`WebSocket route key "${key}" is not valid: use 1 to 128 letters, digits, "_", ".", ":" or "-", `
      + `with no spaces and no leading "$", e.g. "${suggestion === '' ? 'sendmessage' : suggestion}".`);
  }
}
