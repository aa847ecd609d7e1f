/**
 * Benchmark (not a test): the time contract validation adds to a request.
 *
 *   npx projen bench:contract
 *
 * Runs the demo's `POST /books` handler (a book from the request body, answered with 201) as a plain payload 2.0
 * handler (JSON.parse of the body, JSON.stringify of the result) and as a contract handler (the same, plus
 * validation of the body and of the response against their zod schemas), interleaved in rounds in one process, and
 * prints per-request p50 and p99 of each, the time added and the ratio (goal: <= 0.2 ms added at p50). Response
 * validation runs as in production (`API_CONTRACT_RESPONSES` unset, `NODE_ENV` not `test`).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { postBooks } from '../test/templates/contract/fixtures/books-contracts';
import { httpEvent } from '../test/templates/contract/fixtures/events';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const PER_ROUND = 5_000;
const GOAL_ADDED_P50_MS = 0.2;
delete process.env.NODE_ENV;
delete process.env.API_CONTRACT_RESPONSES;

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** The handler a route without a contract has: it trusts the body. */
const plain: Handler = async (event) => {
  const body = JSON.parse(event.body ?? '{}');
  return { statusCode: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: '1', ...body }) };
};

const validated: Handler = postBooks.handler(async ({ body }) => ({ statusCode: 201, body: { id: '1', ...body } }));

const valid = httpEvent('POST /books', { body: { title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin' } });
const invalid = httpEvent('POST /books', { body: { title: '', author: 42 } });

/** Per-request times in milliseconds, pushed to `into`. */
async function time(handler: Handler, event: APIGatewayProxyEventV2, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await handler(event);
    into.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const samples: Record<'plain' | 'validated' | 'invalid', number[]> = { plain: [], validated: [], invalid: [] };
  for (const handler of [plain, validated]) await time(handler, valid, 20_000, []); // warm-up (JIT)
  await time(validated, invalid, 5_000, []);
  for (let round = 0; round < ROUNDS; round++) {
    await time(plain, valid, PER_ROUND, samples.plain);
    await time(validated, valid, PER_ROUND, samples.validated);
    await time(validated, invalid, PER_ROUND / 5, samples.invalid);
  }
  const figures = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, { p50: percentile(s, 50), p99: percentile(s, 99) }]));
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(`POST /books, ${ROUNDS} rounds of ${PER_ROUND} requests each, interleaved (Node ${process.version})`);
  console.log('| handler | p50 | p99 |');
  console.log('|---|---|---|');
  console.log(`| plain (no contract) | ${us(figures.plain.p50)} | ${us(figures.plain.p99)} |`);
  console.log(`| contract, valid request (body and response validated) | ${us(figures.validated.p50)} | ${us(figures.validated.p99)} |`);
  console.log(`| contract, invalid body (400 problem details) | ${us(figures.invalid.p50)} | ${us(figures.invalid.p99)} |`);
  const added = { p50: figures.validated.p50 - figures.plain.p50, p99: figures.validated.p99 - figures.plain.p99 };
  console.log(`Added by validation: p50 ${us(added.p50)}, p99 ${us(added.p99)}; ratio to plain: p50 ${(figures.validated.p50 / figures.plain.p50).toFixed(2)}x, `
    + `p99 ${(figures.validated.p99 / figures.plain.p99).toFixed(2)}x. Goal: <= ${GOAL_ADDED_P50_MS} ms added at p50 -> ${added.p50 <= GOAL_ADDED_P50_MS ? 'met' : 'MISSED'}.`);
}

void main();
