import * as path from 'path';
import { AssemblyModel, buildAssemblyModel } from './api-model';
import { readCloudAssembly } from './cloud-assembly';
import { FunctionPool } from './function-pool';
import { HTTP_API_LIMITS, HttpApiHandler, HttpApiLimits } from './http-api-handler';
import { JwksEndpoint, startJwksEndpoint } from './jwks-endpoint';
import { JwtAuthorizer } from './jwt-authorizer';
import { JwtIssuer, jwtIssuers, TOKEN_AUTHORIZER_ENV } from './jwt-issuers';
import { LambdaAuthorizer } from './lambda-authorizer';
import { loadLocalApiKeys, LocalApiKeys } from './local-api-keys';
import { LocalServer, startLocalServer } from './local-server';
import { loadLocalSigningKey } from './local-signing-key';
import { apiKeySecretIds, startSecretsManagerEndpoint } from './secrets-manager-endpoint';
import { WEBSOCKET_LIMITS, WebSocketApiHandler, WebSocketLimits } from './websocket-api-handler';

/**
 * The variable the contract runtime of a generated repo reads (`strictResponses()` in `src/contract/problem.generated.ts`):
 * the emulator sets it to `strict` in every function that does not set it itself, so a response that breaks its
 * contract is answered 500 locally (and caught before deploy) where production only logs it.
 */
export const CONTRACT_RESPONSES_ENV = 'API_CONTRACT_RESPONSES';

/** Options of the local emulator. */
export interface EmulatorOptions {
  /** The cloud assembly directory (`cdk.out`). */
  readonly assemblyDir: string;
  /** First port; further APIs get the next ones. 0 picks free ports. */
  readonly port?: number;
  /** Interface to listen on. */
  readonly host?: string;
  /** Accepted API keys; by default from `API_SERVICE_LOCAL_API_KEYS` or `.api-service.local.json`. */
  readonly apiKeys?: string[];
  /** Where `node_modules` is looked for (the functions' AWS SDK), and `.api-service.local.json` by default. */
  readonly cwd?: string;
  /**
   * Where `.api-service.local.json` (API keys, the local signing key) is read, and written when the app has a JWT
   * authorizer and the file no signing key yet.
   * @default - `cwd`
   */
  readonly localConfigDir?: string;
  /** Receives every log line (emulator and functions). */
  readonly log?: (line: string) => void;
  /**
   * HTTP API limits.
   * @default HTTP_API_LIMITS (API Gateway's)
   */
  readonly httpLimits?: Partial<HttpApiLimits>;
  /**
   * WebSocket API limits.
   * @default WEBSOCKET_LIMITS (API Gateway's)
   */
  readonly webSocketLimits?: Partial<WebSocketLimits>;
  /**
   * Most concurrent executions (worker threads) of a function that has no reserved concurrency; further
   * invocations queue. Reserved concurrency (`ReservedConcurrentExecutions`) takes precedence.
   * @default 10
   */
  readonly functionConcurrency?: number;
}

/** One listening endpoint and the APIs it serves. */
export interface EmulatorEndpoint {
  readonly url: string;
  readonly httpApi?: string;
  readonly webSocketApi?: string;
  /** Stage paths under `url`, e.g. `/dev` (empty for `$default`). */
  readonly httpStages: string[];
  readonly webSocketStages: string[];
}

/** A running emulator. */
export interface Emulator {
  readonly endpoints: EmulatorEndpoint[];
  readonly apiKeys: LocalApiKeys;
  readonly model: AssemblyModel;
  /** The token issuers the app trusts, whose tokens are verified against the local signing key instead. */
  readonly jwtIssuers: JwtIssuer[];
  close(): Promise<void>;
}

/** Reads a cloud assembly and serves its API Gateway v2 APIs and Lambda functions locally. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const model = buildAssemblyModel(readCloudAssembly(path.resolve(cwd, options.assemblyDir)));
  const configDir = options.localConfigDir ?? cwd;
  const apiKeys = options.apiKeys ? { keys: options.apiKeys, source: 'options' } : loadLocalApiKeys(configDir);
  const issuers = jwtIssuers(model);
  // The local issuer, when the app trusts one: its key (made on first use) and the JWKS its functions fetch.
  const signingKey = issuers.length > 0 ? await loadLocalSigningKey(configDir) : undefined;
  const jwks: JwksEndpoint | undefined = signingKey && await startJwksEndpoint(signingKey);
  const secrets = await startSecretsManagerEndpoint(apiKeys.keys, apiKeySecretIds(model.functions.values()), host);
  const localUrls = new Map<string, string>();
  const pool = new FunctionPool(model.functions, {
    commonEnvironment: {
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      [CONTRACT_RESPONSES_ENV]: 'strict',
      NODE_PATH: [path.join(cwd, 'node_modules'), ...module.paths].join(path.delimiter),
    },
    rewriteValue: value => value.replace(/\b(https|wss):\/\/([a-z0-9]{10})\.execute-api\.[a-z0-9-]+\.amazonaws\.com/g,
      (url, scheme: string, apiId: string) => {
        const local = localUrls.get(apiId);
        return local ? (scheme === 'wss' ? local.replace(/^http/, 'ws') : local) : url;
      }),
    environmentOverrides: jwks ? { [TOKEN_AUTHORIZER_ENV.jwksUri]: jwks.jwksUri } : {},
    log,
    defaultConcurrency: options.functionConcurrency,
  });
  const authorizer = new LambdaAuthorizer(pool);
  const httpAuthorizers = { lambda: authorizer, jwt: signingKey && new JwtAuthorizer(signingKey) };
  const httpApis = model.apis.filter(a => a.protocol === 'HTTP');
  const webSocketApis = model.apis.filter(a => a.protocol === 'WEBSOCKET');
  const servers: LocalServer[] = [];
  const endpoints: EmulatorEndpoint[] = [];
  const close = async () => {
    await Promise.all(servers.map(s => s.close()));
    await pool.close();
    await secrets.close();
    await jwks?.close();
  };
  const stagePaths = (stages: string[]) => stages.map(s => (s === '$default' ? '' : `/${s}`));
  for (let i = 0; i < Math.max(httpApis.length, webSocketApis.length); i++) {
    const [httpApi, webSocketApi] = [httpApis[i], webSocketApis[i]];
    const server = await startLocalServer({
      host,
      port: options.port ? options.port + i : 0,
      httpApi: httpApi && new HttpApiHandler(httpApi, pool, httpAuthorizers, { ...HTTP_API_LIMITS, ...options.httpLimits }),
      webSocketApi: webSocketApi && new WebSocketApiHandler(webSocketApi, pool, authorizer, apiKeys.keys,
        { ...WEBSOCKET_LIMITS, ...options.webSocketLimits }, log),
      log,
    }).catch(async e => {
      // e.g. the port is taken: stop what already started, then report.
      await close();
      throw e;
    });
    servers.push(server);
    for (const api of [httpApi, webSocketApi]) {
      if (api) {
        localUrls.set(api.apiId, server.url);
      }
    }
    endpoints.push({
      url: server.url,
      httpApi: httpApi?.name,
      webSocketApi: webSocketApi?.name,
      httpStages: httpApi ? stagePaths(httpApi.stages.length > 0 ? httpApi.stages : ['$default']) : [],
      webSocketStages: webSocketApi ? stagePaths(webSocketApi.stages) : [],
    });
  }
  return { endpoints, apiKeys, model, jwtIssuers: issuers, close };
}
