import { httpResponse, queryParameters, requestHeaders, requestTime } from '../../src/local/http-event';

test('a result with statusCode maps headers, cookies and a base64 body; multiValueHeaders is not part of payload format 2.0', () => {
  expect(httpResponse({ statusCode: 202, headers: { 'X-A': 1 }, multiValueHeaders: { 'X-B': ['1', '2'] }, cookies: ['c=1'], body: 'aGk=', isBase64Encoded: true }))
    .toEqual({ statusCode: 202, headers: { 'x-a': '1' }, cookies: ['c=1'], body: Buffer.from('hi') });
});

test('requestHeaders lower-cases names, joins repeated values with a comma and splits the cookies out', () => {
  expect(requestHeaders(['X-A', '1', 'Cookie', 'a=1; b=2', 'x-a', '2', 'cookie', 'c=3', 'Host', 'h'])).toEqual({
    headers: { 'x-a': '1,2', 'host': 'h' }, cookies: ['a=1', 'b=2', 'c=3'], valueBytes: 1 + 8 + 1 + 3 + 1,
  });
  expect(requestHeaders(['Host', 'h']).cookies).toBeUndefined();
});

test('a result without statusCode is a 200 JSON response', () => {
  expect(httpResponse({ a: 1 })).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: '{"a":1}' });
  expect(httpResponse(null)?.body.toString()).toBe('null');
});

test('a malformed statusCode is no response (the caller answers 500)', () => {
  expect(httpResponse({ statusCode: 'x' })).toBeUndefined();
  expect(httpResponse({ statusCode: 42 })).toBeUndefined();
});

test('query parameters join repeated values with commas', () => {
  expect(queryParameters('a=1&a=2&b=%20')).toEqual({ a: '1,2', b: ' ' });
  expect(queryParameters('')).toBeUndefined();
});

test('requestTime uses API Gateway\'s format', () => {
  expect(requestTime(new Date(Date.UTC(2020, 2, 12, 19, 3, 58)))).toBe('12/Mar/2020:19:03:58 +0000');
  expect(requestTime(new Date(Date.UTC(2020, 2, 12, 19, 3, 58, 999)))).toBe('12/Mar/2020:19:03:58 +0000');
  expect(requestTime(new Date(Date.UTC(2020, 2, 12, 19, 3, 59)))).toBe('12/Mar/2020:19:03:59 +0000');
});
