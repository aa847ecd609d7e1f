import { WEBSOCKET_RESERVED_ROUTE_KEYS, validateWebSocketRouteKey } from '../../src/websocket/websocket-route-key';

describe('validateWebSocketRouteKey', () => {
  test.each(['sendmessage', 'send_message', 'chat.send', 'a:b-c', '$default', 'x'.repeat(128)])('accepts %s', (key) => {
    expect(() => validateWebSocketRouteKey(key, false)).not.toThrow();
  });

  test.each(['$connect', '$disconnect'])('accepts %s when lifecycle routes are allowed', (key) => {
    expect(() => validateWebSocketRouteKey(key, true)).not.toThrow();
  });

  test('throws when $connect is given and lifecycle routes are not allowed', () => {
    expect(() => validateWebSocketRouteKey('$connect', false))
      .toThrow('WebSocket route key "$connect" is reserved: it is not a custom route. Give its handler as connectHandler instead.');
  });

  test('throws when $disconnect is given and lifecycle routes are not allowed', () => {
    expect(() => validateWebSocketRouteKey('$disconnect', false)).toThrow(/"\$disconnect" is reserved.*disconnectHandler/);
  });

  test.each([
    ['has a space', 'send message'],
    ['is an unknown $ key', '$foo'],
    ['is longer than 128 characters', 'x'.repeat(129)],
    ['is empty', ''],
  ])('throws when the key %s', (_why, key) => {
    expect(() => validateWebSocketRouteKey(key, true)).toThrow(`WebSocket route key "${key}" is not valid: use 1 to 128`);
  });

  test('reserves the three lifecycle keys', () => {
    expect(WEBSOCKET_RESERVED_ROUTE_KEYS).toEqual(['$connect', '$disconnect', '$default']);
  });
});
