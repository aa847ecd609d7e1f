import { asProjenCliError, newOptions, NewOption, unknownFlags, unknownFlagWarning } from '../../src/project/projen-new';

const SWITCHES: NewOption[] = [
  { switch: 'http-routes', name: 'httpRoutes', isFlag: true },
  { switch: 'websocket-routes', name: 'websocketRoutes', isFlag: true },
  { switch: 'api-key-required', name: 'apiKeyRequired', isFlag: true },
  { switch: 'stage-name', name: 'stageName', isFlag: true },
  { switch: 'cors-allow-origins', name: 'corsAllowOrigins', isFlag: true },
  { switch: 'route-authorization', name: 'routeAuthorization', isFlag: false },
];

describe('unknownFlags', () => {
  test('finds a misspelled flag and the option closest to it', () => {
    expect(unknownFlags(['new', '--from', 'x', '--http-route', 'GET /x'], SWITCHES)).toEqual([{ flag: '--http-route', closest: 'http-routes' }]);
  });

  test('accepts every form yargs accepts: --name value, --name=value, --no-name, camelCase, and projen new\'s own flags', () => {
    const argv = ['new', '--from=x', '-f', 'x', '--http-routes', 'GET /a', '--stage-name=live', '--no-api-key-required', '--corsAllowOrigins', 'https://a.example.com', '--no-git', '--no-synth', '--projen-version', '0.103.25'];
    expect(unknownFlags(argv, SWITCHES)).toEqual([]);
  });

  test('a flag far from every option gets no suggestion', () => {
    expect(unknownFlags(['new', '--colour'], SWITCHES)).toEqual([{ flag: '--colour', closest: undefined }]);
  });

  test('a flag naming an option projen new cannot take (a map) is named with the option', () => {
    expect(unknownFlags(['new', '--route-authorization', 'GET /a=iam'], SWITCHES)).toEqual([{ flag: '--route-authorization', option: 'routeAuthorization' }]);
  });

  test('arguments after "--" are not flags', () => {
    expect(unknownFlags(['new', '--', '--http-route'], SWITCHES)).toEqual([]);
  });
});

test('unknownFlagWarning names the flag, the closest option and where options go', () => {
  expect(unknownFlagWarning({ flag: '--http-route', closest: 'http-routes' }))
    .toBe('Unknown flag --http-route ignored by projen new: did you mean --http-routes? Set the option in .projenrc.ts and run npx projen.');
  expect(unknownFlagWarning({ flag: '--colour' })).toBe('Unknown flag --colour ignored by projen new. Set the option in .projenrc.ts and run npx projen.');
  expect(unknownFlagWarning({ flag: '--route-authorization', option: 'routeAuthorization' }))
    .toBe('Flag --route-authorization ignored by projen new, which cannot take routeAuthorization from the command line: set it in .projenrc.ts and run npx projen.');
});

test('newOptions lists the project type\'s own options and those it inherits from projen, as projen new names them and takes them', () => {
  const options = newOptions('projen-api-service.ApiServiceProject');
  const flags = options.filter((o) => o.isFlag).map((o) => o.switch);
  expect(flags).toEqual(expect.arrayContaining([
    'http-routes', 'websocket-routes', 'api-key-required', 'authorization', 'jwt-audience', 'user-pool', 'web-socket-domain-name', 'cdk-version', 'name', 'default-release-branch',
  ]));
  expect(options.filter((o) => !o.isFlag).map((o) => o.name)).toEqual(expect.arrayContaining(['routeAuthorization', 'context']));
});

describe('asProjenCliError', () => {
  class CliError extends Error {}
  const projenBin = { require: (id: string) => (id === '../lib/cli/util' ? { CliError } : {}) };

  test('under projen new, makes the error the CLI\'s own CliError with the same message', () => {
    const cliError = asProjenCliError(new Error('httpRoutes: bad'), ['node', '/x/projen/bin/projen', 'new', '--from', 'y'], projenBin);
    expect(cliError).toBeInstanceOf(CliError);
    expect(cliError!.message).toBe('httpRoutes: bad');
  });

  test('is undefined outside projen new, and when the CLI has no CliError', () => {
    expect(asProjenCliError(new Error('x'), ['node', 'jest'], projenBin)).toBeUndefined();
    expect(asProjenCliError(new Error('x'), ['node', 'projen', 'new'], { require: () => { throw new Error('Cannot find module'); } })).toBeUndefined();
    expect(asProjenCliError(new Error('x'), ['node', 'projen', 'new'], undefined)).toBeUndefined();
  });
});
