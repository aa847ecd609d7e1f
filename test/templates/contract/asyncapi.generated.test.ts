import { z } from 'zod';
import { sendMessage } from './fixtures/books-contracts';
import { validateAsyncApi } from './fixtures/validators';
import { AsyncApiRoute, buildAsyncApiDocument } from '../../../templates/api-service/src/contract/asyncapi.generated';
import { webSocketContract } from '../../../templates/api-service/src/contract/websocket-contract.generated';

const ROUTES: AsyncApiRoute[] = [
  { key: '$connect' },
  { key: '$disconnect' },
  { key: '$default' },
  { key: 'sendmessage', contract: sendMessage },
  { key: 'ping' },
];
const document = (connectAuthorization: string, extra: object = {}, routes = ROUTES): any =>
  buildAsyncApiDocument({ title: 'Books', version: '1.0.0', routes, connectAuthorization, ...extra });

test.each(['api-key', 'jwt', 'iam', 'none'])('the document with $connect authorized by %s is valid AsyncAPI 3.0', (kind) => {
  expect(validateAsyncApi(document(kind))).toEqual({ valid: true });
});

test('the validator refuses a document the builder must never write (so the test above can fail)', () => {
  const broken = document('api-key');
  broken.operations.sendmessage.action = 'publish'; // AsyncAPI 2's word; 3.0 has send and receive
  expect(validateAsyncApi(broken).valid).toBe(false);
});

test('an operation per route action on the one channel of the connection; $connect and $disconnect carry no message', () => {
  const doc = document('api-key');
  expect(Object.keys(doc.operations)).toEqual(['default', 'ping', 'sendContractError', 'sendmessage']);
  expect(doc.operations.sendmessage).toEqual({
    action: 'receive',
    channel: { $ref: '#/channels/connection' },
    summary: 'Send a message to yourself',
    messages: [{ $ref: '#/channels/connection/messages/sendmessage' }],
    reply: { channel: { $ref: '#/channels/connection' }, messages: [{ $ref: '#/channels/connection/messages/sendmessageReply' }] },
  });
  expect(Object.keys(doc.channels.connection.messages)).toEqual(['contractError', 'default', 'ping', 'sendmessage', 'sendmessageReply']);
});

test('a message schema is the contract\'s, with the action that selects the route added', () => {
  const doc = document('api-key');
  expect(doc.components.messages.sendmessage.payload).toEqual({
    type: 'object',
    properties: { action: { const: 'sendmessage' }, text: { type: 'string', minLength: 1, maxLength: 1000 } },
    required: ['action', 'text'],
  });
  // Without a contract, the action alone; $default is selected by no action.
  expect(doc.components.messages.ping.payload).toEqual({ type: 'object', properties: { action: { const: 'ping' } }, required: ['action'] });
  expect(doc.components.messages.default.payload).toEqual({});
});

test('a named message schema is referenced, with the action beside it', () => {
  const chat = webSocketContract('chat', { message: z.object({ text: z.string() }).meta({ id: 'ChatMessage' }) });
  const doc = document('none', {}, [{ key: 'chat', contract: chat }]);
  expect(doc.components.messages.chat.payload).toEqual({
    allOf: [{ $ref: '#/components/schemas/ChatMessageInput' }, { type: 'object', properties: { action: { const: 'chat' } }, required: ['action'] }],
  });
  expect(validateAsyncApi(doc)).toEqual({ valid: true });
});

test('the error message an invalid message gets back is documented as an operation the API sends, with the problem schema', () => {
  const doc = document('api-key');
  expect(doc.operations.sendContractError).toMatchObject({ action: 'send', messages: [{ $ref: '#/channels/connection/messages/contractError' }] });
  expect(doc.components.messages.contractError.payload).toEqual({ $ref: '#/components/schemas/Problem' });
  expect(doc.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail', 'errors']);
});

describe('$connect security', () => {
  const schemes = (kind: string) => document(kind).components.securitySchemes;

  test('api-key: the x-api-key header, or the apiKey query parameter (browsers cannot set headers)', () => {
    expect(schemes('api-key')).toEqual({
      apiKeyHeader: { type: 'httpApiKey', in: 'header', name: 'x-api-key', description: 'An API key of the service.' },
      apiKeyQuery: { type: 'httpApiKey', in: 'query', name: 'apiKey', description: expect.stringContaining('from a browser') },
    });
    expect(document('api-key').servers.aws.security).toEqual([
      { $ref: '#/components/securitySchemes/apiKeyHeader' }, { $ref: '#/components/securitySchemes/apiKeyQuery' },
    ]);
  });

  test('jwt: the token query parameter', () => {
    expect(schemes('jwt')).toEqual({ token: { type: 'httpApiKey', in: 'query', name: 'token', description: expect.any(String) } });
    expect(document('jwt', { tokenQueryParameter: 'access_token' }).components.securitySchemes.token.name).toBe('access_token');
  });

  test('iam: SigV4', () => {
    expect(schemes('iam')).toEqual({ sigv4: { type: 'httpApiKey', in: 'header', name: 'Authorization', description: expect.stringContaining('Signature Version 4') } });
  });

  test('none: no scheme', () => {
    expect(schemes('none')).toBeUndefined();
    expect(document('none').servers.aws.security).toEqual([]);
  });
});

test('the server: the API\'s execute-api host by default, with the stage as a variable; or the one given', () => {
  expect(document('none', { stage: 'live' }).servers.aws).toMatchObject({
    host: '{apiId}.execute-api.{region}.amazonaws.com', pathname: '/{stage}', protocol: 'wss', variables: { stage: { default: 'live' } },
  });
  expect(document('none', { server: { host: 'ws.example.com' } }).servers).toEqual({ api: { host: 'ws.example.com', pathname: '/', protocol: 'wss', security: [] } });
});

test('route keys with characters AsyncAPI keys do not allow get keys of their own', () => {
  const doc = document('none', {}, [{ key: 'it.s:x-y_z' }, { key: 'contractError' }]);
  expect(Object.keys(doc.operations)).toEqual(['contractError2', 'it.s_x-y_z', 'sendContractError']);
  expect(doc.components.messages['it.s_x-y_z'].name).toBe('it.s:x-y_z');
  expect(validateAsyncApi(doc)).toEqual({ valid: true });
});

test('the order routes are declared in does not change the document', () => {
  expect(JSON.stringify(document('jwt', {}, [...ROUTES].reverse()))).toBe(JSON.stringify(document('jwt')));
});

test('throws when a contract does not fit its route', () => {
  expect(() => document('none', {}, [{ key: 'chat', contract: sendMessage }])).toThrow(
    'The contract of WebSocket route chat: it is the contract of "sendmessage": give webSocketContract() the route it is wired to, "chat".');
  expect(() => document('none', {}, [{ key: '$connect', contract: webSocketContract('$connect', { message: z.object({}) }) }])).toThrow(
    '$connect receives no message');
});

test('throws when the $connect authorization is unknown', () => {
  expect(() => document('cognito')).toThrow('Route "$connect" has the authorization "cognito", which is not one of api-key, jwt, iam, none');
});
