/**
 * The main job (`npx projen demo`): generates a demo API service from the freshly packed package with the real
 * `projen new --from`, builds it (compile, lint, tests, cdk synth with validation and cdk-nag), then serves its
 * cdk.out with the local emulator and calls it: an HTTP route with and without the API key, a body that breaks
 * the route's contract and one that keeps it, and a WebSocket message echoed back through the @connections
 * management API.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import WebSocket from 'ws';
import { packedFromSpec } from './packed-package';
import { startEmulator } from '../src/local/emulator';

const API_KEY = 'demo-local-key';

function step(title: string): void {
  console.log(`\n=== ${title}`);
}

function run(cwd: string, command: string, args: string[]): void {
  console.log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' } });
}

async function echoOverWebSocket(url: string): Promise<string> {
  const socket = new WebSocket(url, { headers: { 'x-api-key': API_KEY } });
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
  socket.send(JSON.stringify({ action: 'sendmessage', text: 'hello from the demo' }));
  const text = await reply;
  socket.close();
  return text;
}

async function main(): Promise<void> {
  const from = packedFromSpec();
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'demo-')), 'books-api');
  fs.mkdirSync(dir);

  step(`Generating the demo service in ${dir}`);
  run(dir, 'npx', ['--yes', 'projen@0.103.25', 'new', '--from', from]);
  step('Building it: compile, eslint, tests, cdk synth (CloudFormation validation + cdk-nag)');
  run(dir, 'npx', ['projen', 'build']);

  step('Serving its cdk.out locally (what `npx projen dev` does)');
  const emulator = await startEmulator({ assemblyDir: path.join(dir, 'cdk.out'), port: 0, cwd: dir, apiKeys: [API_KEY], log: () => undefined });
  try {
    const http = emulator.endpoints.find((e) => e.httpApi)!;
    const ws = emulator.endpoints.find((e) => e.webSocketApi)!;
    const books = `${http.url}${http.httpStages[0]}/books`;
    const open = await fetch(books);
    console.log(`GET ${books} without a key -> ${open.status} ${await open.text()}`);
    const keyed = await fetch(books, { headers: { 'x-api-key': API_KEY } });
    console.log(`GET ${books} with x-api-key -> ${keyed.status} ${await keyed.text()}`);
    const post = (body: unknown) => fetch(books, { method: 'POST', body: JSON.stringify(body), headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' } });
    const invalid = await post({ title: 42 });
    console.log(`POST ${books} {"title":42}, against the contract -> ${invalid.status} ${await invalid.text()}`);
    const valid = await post({ title: 'Dune' });
    console.log(`POST ${books} {"title":"Dune"} -> ${valid.status} ${await valid.text()}`);
    const wsUrl = `${ws.url.replace(/^http/, 'ws')}${ws.webSocketStages[0]}`;
    console.log(`WebSocket ${wsUrl} sendmessage -> ${await echoOverWebSocket(wsUrl)}`);
    console.log(`The API documents the build wrote from the contracts: ${path.join(dir, 'openapi.json')}, ${path.join(dir, 'asyncapi.json')}`);
    if (keyed.status !== 200 || open.status !== 401 || invalid.status !== 400 || valid.status !== 201) {
      throw new Error('The demo service did not answer as expected.');
    }
  } finally {
    await emulator.close();
  }
  step(`Done. The generated service is in ${dir}: cd there and run \`npx projen dev\`.`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
