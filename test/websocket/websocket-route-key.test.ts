import { WEBSOCKET_RESERVED_ROUTE_KEYS, validateWebSocketRouteKey } from '../../src/websocket/websocket-route-key';

describe('validateWebSocketRouteKey', () => {
  test.each(['sendmessage', 'send_message', 'chat.send', 'a:b-c', '1st', 'x'.repeat(128)])('accepts %s', (key) => {
    expect(() => validateWebSocketRouteKey(key, false)).not.toThrow();
  });

  test.each(WEBSOCKET_RESERVED_ROUTE_KEYS)('accepts %s when predefined routes are allowed', (key) => {
    expect(() => validateWebSocketRouteKey(key, true)).not.toThrow();
  });

  test.each([
    ['$connect', 'when a client connects', 'connect'],
    ['$disconnect', 'when a client disconnects', 'disconnect'],
    ['$default', 'for the messages no other route matches', 'default'],
  ])('throws when %s is given and predefined routes are not allowed', (key, when, handler) => {
    expect(() => validateWebSocketRouteKey(key, false)).toThrow(`WebSocket route key "${key}" is predefined, not a custom route: API Gateway calls it ${when}. `
      + `Remove it from the custom routes; its code goes in the ${handler} handler.`);
  });

  test.each([
    ['has a space', 'send message', 'send-message'],
    ['is an unknown $ key', '$foo', 'foo'],
    ['is longer than 128 characters', 'x'.repeat(129), 'x'.repeat(128)],
    ['is empty', '', 'sendmessage'],
  ])('throws when the key %s', (_why, key, suggestion) => {
    expect(() => validateWebSocketRouteKey(key, true)).toThrow(`WebSocket route key "${key}" is not valid: use 1 to 128 letters, digits, "_", ".", ":" or "-", `
      + `with no spaces and no leading "$", e.g. "${suggestion}".`);
  });

  test('reserves the three predefined keys', () => {
    expect(WEBSOCKET_RESERVED_ROUTE_KEYS).toEqual(['$connect', '$disconnect', '$default']);
  });
});
