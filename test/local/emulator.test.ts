import { documentsDir } from './fixtures/api-documents';
import { RunningFixture, startContractFixture, TEST_API_KEY } from './fixtures/start-fixture';
import { apiDocumentFiles } from '../../src/local/api-docs-server';
import { banner } from '../../src/local/cli';

describe('responses that break their contract', () => {
  let fixture: RunningFixture;
  beforeAll(async () => {
    fixture = await startContractFixture();
  });
  afterAll(() => fixture?.emulator.close());

  const post = (path: string) => fetch(`${fixture.httpUrl}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY }, body: JSON.stringify({ title: 'Dune', author: 'Herbert' }),
  });

  test('are answered 500 with problem details: every function runs with API_CONTRACT_RESPONSES=strict', async () => {
    const response = await post('/books');
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 500,
      detail: expect.stringContaining('The response (status 201) breaks the contract of POST /books'),
      errors: [{ in: 'response', pointer: '/author', code: 'invalid_type' }],
    });
  });

  test('are sent as the handler returned them, and logged, by a function that sets API_CONTRACT_RESPONSES=log itself', async () => {
    const response = await post('/logged/books');
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: '1', title: 'Dune' });
    expect(fixture.logs.some(line => line.includes('"message":"The response (status 201) breaks the contract of POST /books"'))).toBe(true);
  });

  test('the banner says they are 500s, and names the functions that set API_CONTRACT_RESPONSES themselves', () => {
    expect(banner(fixture.emulator, { documents: apiDocumentFiles(documentsDir()) })).toContainEqual(expect.stringMatching(new RegExp(
      '^\\[emulator\\] Responses that break their contract are answered 500 \\(API_CONTRACT_RESPONSES=strict\\), ' +
      'except by functions that set API_CONTRACT_RESPONSES themselves: ContractFixture-Logged\\w+ \\(log\\)$')));
  });
});
