import { jsonPointer, problemSchema, strictResponses } from '../../../templates/api-service/src/contract/problem.generated';

describe('strictResponses: whether a response that breaks its contract fails', () => {
  const saved = { mode: process.env.API_CONTRACT_RESPONSES, nodeEnv: process.env.NODE_ENV };
  afterEach(() => {
    for (const [name, value] of [['API_CONTRACT_RESPONSES', saved.mode], ['NODE_ENV', saved.nodeEnv]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test.each([
    // [API_CONTRACT_RESPONSES, NODE_ENV, strict?]
    [undefined, 'test', true], // jest
    [undefined, 'production', false], // Lambda on AWS
    [undefined, undefined, false],
    ['strict', 'production', true], // the local emulator sets it
    ['strict', undefined, true],
    ['log', 'test', false], // a test of the production behaviour
    ['anything else', 'test', true],
    ['anything else', undefined, false],
  ])('API_CONTRACT_RESPONSES=%s, NODE_ENV=%s: %s', (mode, nodeEnv, strict) => {
    if (mode === undefined) delete process.env.API_CONTRACT_RESPONSES;
    else process.env.API_CONTRACT_RESPONSES = mode;
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    expect(strictResponses()).toBe(strict);
  });
});

test.each([
  [[], ''],
  [['title'], '/title'],
  [['tags', 0], '/tags/0'],
  [['a/b', 'c~d'], '/a~1b/c~0d'],
])('jsonPointer(%j) is "%s" (RFC 6901)', (path, pointer) => {
  expect(jsonPointer(path)).toBe(pointer);
});

test('the problem schema (documented as components.schemas.Problem) refuses a problem without its field list', () => {
  expect(problemSchema.safeParse({ type: 'about:blank', title: 'Bad Request', status: 400, detail: 'x' }).success).toBe(false);
  expect(problemSchema.safeParse({ type: 'about:blank', title: 'Bad Request', status: 400, detail: 'x', errors: [] }).success).toBe(true);
});
