import { z } from 'zod';
import { sendMessage } from './fixtures/books-contracts';
import { captureErrorLog, webSocketEvent } from './fixtures/events';
import { webSocketContract } from '../../../templates/api-service/src/contract/websocket-contract.generated';

const logged = captureErrorLog();

const echo = (send: jest.Mock) => sendMessage.handler(async ({ message, reply }) => reply({ route: 'sendmessage', echo: message.text }), { send });

describe('an invalid message', () => {
  test('gets problem details listing every failing field sent back on the caller\'s connection, and the handler never runs', async () => {
    const send = jest.fn().mockResolvedValue(undefined);
    const handler = jest.fn();
    const event = webSocketEvent('sendmessage', JSON.stringify({ action: 'sendmessage', text: '' }));
    const result = await sendMessage.handler(handler, { send })(event);
    expect(handler).not.toHaveBeenCalled();
    expect(send).toHaveBeenCalledTimes(1);
    const [to, data] = send.mock.calls[0];
    expect(to).toBe(event);
    const expected = {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The message does not match the contract of route sendmessage: 1 field is invalid.',
      errors: [{ in: 'message', pointer: '/text', code: 'too_small', detail: 'Too small: expected string to have >=1 characters' }],
    };
    expect(JSON.parse(data)).toEqual(expected);
    // The Lambda result carries it too: a route with a route response (returnResponse) sends that instead.
    expect(result).toEqual({ statusCode: 400, body: data });
  });

  test('a message that is not JSON is one failing field', async () => {
    const send = jest.fn().mockResolvedValue(undefined);
    await echo(send)(webSocketEvent('sendmessage', 'hello'));
    expect(JSON.parse(send.mock.calls[0][1]).errors).toEqual([{ in: 'message', pointer: '', code: 'invalid_json', detail: 'The message is not valid JSON.' }]);
  });

  test('when the error cannot be sent (the caller left: 410 Gone), that is logged and the result still says 400', async () => {
    const send = jest.fn().mockRejectedValue(new Error('GoneException'));
    const result = await echo(send)(webSocketEvent('sendmessage', '{}'));
    expect(result).toMatchObject({ statusCode: 400 });
    expect(JSON.parse(logged().mock.calls[0][0])).toEqual({ level: 'ERROR', message: 'Could not send the error to the caller', route: 'sendmessage', error: 'Error: GoneException' });
  });
});

describe('a valid message', () => {
  test('reaches the handler parsed; its reply is checked and sent to the caller', async () => {
    const send = jest.fn().mockResolvedValue(undefined);
    const result = await echo(send)(webSocketEvent('sendmessage', JSON.stringify({ action: 'sendmessage', text: 'hi' })));
    expect(result).toEqual({ statusCode: 200 });
    expect(send.mock.calls.map(([, data]) => JSON.parse(data))).toEqual([{ route: 'sendmessage', echo: 'hi' }]);
  });

  test('the handler\'s own result is the Lambda result', async () => {
    const contract = webSocketContract('ping', { message: z.object({}) });
    expect(await contract.handler(async () => ({ statusCode: 200, body: 'pong' }))(webSocketEvent('ping', '{}'))).toEqual({ statusCode: 200, body: 'pong' });
  });
});

describe('a reply that breaks its contract', () => {
  const badReply = (send: jest.Mock) => sendMessage.handler(async ({ reply }) => reply({ route: 'sendmessage', echo: 42 } as any), { send });
  const event = () => webSocketEvent('sendmessage', JSON.stringify({ text: 'hi' }));

  test('is logged and throws under jest (NODE_ENV=test), and is not sent', async () => {
    const send = jest.fn();
    await expect(badReply(send)(event())).rejects.toThrow('The reply breaks the contract of route sendmessage: /echo: Invalid input: expected string, received number');
    expect(send).not.toHaveBeenCalled();
    expect(JSON.parse(logged().mock.calls[0][0])).toMatchObject({ message: 'The reply breaks the contract of sendmessage', route: 'sendmessage' });
  });

  test('is logged and still sent with API_CONTRACT_RESPONSES=log (as in production)', async () => {
    process.env.API_CONTRACT_RESPONSES = 'log';
    const send = jest.fn().mockResolvedValue(undefined);
    await badReply(send)(event());
    expect(JSON.parse(send.mock.calls[0][1])).toEqual({ route: 'sendmessage', echo: 42 });
    expect(logged()).toHaveBeenCalledTimes(1);
  });
});

test('throws when reply() is used without a send function', async () => {
  const handler = sendMessage.handler(async ({ reply }) => reply({ route: 'sendmessage', echo: 'x' }));
  await expect(handler(webSocketEvent('sendmessage', '{"text":"x"}'))).rejects.toThrow('reply() on route sendmessage needs a send function: contract.handler(fn, { send }).');
});

test('throws when reply() is used on a contract without a reply schema', async () => {
  const contract = webSocketContract('ping', { message: z.object({}) });
  const handler = contract.handler(async ({ reply }) => reply(undefined as never), { send: jest.fn() });
  await expect(handler(webSocketEvent('ping', '{}'))).rejects.toThrow('reply() on route ping needs a reply schema in the contract.');
});
