import * as fs from 'fs';
import { GcpAppProject } from '../src';
import { temporaryDirectory } from './support/synth';

const dir = temporaryDirectory('invalid');

function errorFor(options: Record<string, unknown>): string {
  try {
    new GcpAppProject({ name: 'orders', region: 'europe-west1', outdir: dir, ...options } as any);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the options to be rejected');
}

test('project ID rule names the fix', () => {
  const message = errorFor({ environments: [{ name: 'prod', projectId: 'Orders Prod' }] });
  expect(message).toContain('environments[0].projectId: "Orders Prod" is invalid.');
  expect(message).toContain('6 to 30 lowercase letters, digits and hyphens');
  expect(message).toContain('copy the project ID');
});

test('region rule names the value', () => {
  const message = errorFor({ region: 'Europe West' });
  expect(message).toContain('region: "Europe West" is invalid.');
  expect(message.match(/region: /g)).toHaveLength(1);
  expect(message).toContain('"europe-west1"');
});

test('service name fits the account ID', () => {
  const message = errorFor({ services: [{ name: 'a-very-long-service-name-here' }] });
  expect(message).toContain('services[0].name: "a-very-long-service-name-here" is invalid.');
  expect(message).toContain('at most 22 characters');
});

test("database user fits PostgreSQL's limit", () => {
  const message = errorFor({
    services: [{ name: 'orders-processing-apis' }],
    environments: [{ name: 'prod', projectId: 'orders-processing-production12' }],
  });
  expect(message).toContain('"orders-processing-apis-migrate@orders-processing-production12.iam" is invalid.');
  expect(message).toContain('at most 63 characters');
});

test('connector name is at most 25 characters', () => {
  const message = errorFor({ connectorName: 'a-connector-name-that-is-too-long' });
  expect(message).toContain('connectorName: "a-connector-name-that-is-too-long" is invalid.');
  expect(message).toContain('at most 25 characters');
});

test('tier must be an Enterprise tier', () => {
  const message = errorFor({ environments: [{ name: 'prod', projectId: 'orders-prod', databaseTier: 'db-perf-optimized-N-2' }] });
  expect(message).toContain('environments[0].databaseTier: "db-perf-optimized-N-2" is invalid.');
});

test('duplicate environments are rejected', () => {
  const message = errorFor({
    environments: [
      { name: 'prod', projectId: 'orders-prod' },
      { name: 'prod', projectId: 'orders-prod-2' },
    ],
  });
  expect(message).toContain('environments[1].name: "prod" is invalid. Allowed: a name no other environment uses.');
});

test('instance counts must be ordered', () => {
  const message = errorFor({ environments: [{ name: 'prod', projectId: 'orders-prod', minInstances: 5, maxInstances: 2 }] });
  expect(message).toContain('environments[0].maxInstances: 2 is invalid.');
});

test('empty environment list is rejected', () => {
  expect(errorFor({ environments: [] })).toContain('environments: [] is invalid. Allowed: at least one environment.');
});

test('database name rule', () => {
  expect(errorFor({ databaseName: 'Orders-DB' })).toContain('databaseName: "Orders-DB" is invalid.');
});

test('every problem is listed in one error', () => {
  const message = errorFor({ region: 'nowhere', services: [{ name: 'API' }], databaseName: '1db' });
  expect(message).toMatch(/^Invalid projen-gcp-app options in \.projenrc\.ts \(3 problems\):/);
  expect(message).toContain('services[0].name:');
  expect(message).toContain('databaseName:');
  expect(message).toContain('region: "nowhere" is invalid.');
});

test('problems are not repeated in the dump', () => {
  try {
    new GcpAppProject({ name: 'orders', region: 'nowhere', outdir: dir } as any);
  } catch (error) {
    expect(Object.keys(error as object)).not.toContain('problems');
    expect((error as any).problems).toHaveLength(1);
  }
});

test('nothing is written for invalid options', () => {
  expect(fs.readdirSync(dir)).toEqual([]);
});

const prod = (extra: Record<string, unknown>) => ({ environments: [{ name: 'prod', projectId: 'orders-prod', ...extra }] });
const api = (extra: Record<string, unknown>) => ({ services: [{ name: 'api', ...extra }] });

/** One row a rule: the options, the option the error names, and a phrase of what is allowed. */
const rules: Array<[string, Record<string, unknown>, string, string]> = [
  ['repo name', { name: 'Orders_API' }, 'name: "Orders_API"', 'at most 40 characters'],
  ['database version', { databaseVersion: 'MYSQL_8_0' }, 'databaseVersion: "MYSQL_8_0"', '"POSTGRES_15"'],
  ['VPC access mode', { vpcAccess: 'peering' }, 'vpcAccess: "peering"', '"connector" or "direct"'],
  ['subnet name', { subnetName: 'Run Subnet' }, 'subnetName: "Run Subnet"', 'lowercase letters'],
  ['network name', { networkName: 'vpc_1' }, 'networkName: "vpc_1"', 'lowercase letters'],
  ['private services access', { privateServicesAccess: 'maybe' }, 'privateServicesAccess: "maybe"', '"reference" or "create"'],
  ['peering range size', { privateServicesPrefixLength: 28 }, 'privateServicesPrefixLength: 28', 'from 8 to 24'],
  ['artifact repository', { artifactRepository: 'My Images' }, 'artifactRepository: "My Images"', 'lowercase letters'],
  ['build connection', { buildConnection: 'GitHub!' }, 'buildConnection: "GitHub!"', 'lowercase letters'],
  ['build repository', { buildRepository: 'acme/orders' }, 'buildRepository: "acme/orders"', 'letters, digits'],
  ['no services', { services: [] }, 'services: []', 'at least one service'],
  ['duplicate services', { services: [{ name: 'api' }, { name: 'api' }] }, 'services[1].name: "api"', 'a name no other service uses'],
  ['short service name', api({ name: 'a' }), 'services[0].name: "a"', 'at least 2'],
  ['database mode', api({ database: 'sqlite' }), 'services[0].database: "sqlite"', '"shared", "dedicated", "none"'],
  ['ingress', api({ ingress: 'public' }), 'services[0].ingress: "public"', 'INGRESS_TRAFFIC_ALL'],
  ['cpu', api({ cpu: 'two' }), 'services[0].cpu: "two"', 'millicores'],
  ['memory', api({ memory: '512MB' }), 'services[0].memory: "512MB"', '"Mi" or "Gi"'],
  ['command', api({ command: [] }), 'services[0].command: []', 'non-empty list'],
  ['secret ID', api({ secrets: [{ secret: 'my secret', envVar: 'TOKEN' }] }), 'services[0].secrets[0].secret: "my secret"', 'at most 255'],
  ['secret target', api({ secrets: [{ secret: 'token' }] }), 'services[0].secrets[0]: {}', 'exactly one of envVar and path'],
  ['secret variable', api({ secrets: [{ secret: 'token', envVar: 'DB_USER' }] }), 'services[0].secrets[0].envVar: "DB_USER"', 'not one of'],
  ['secret folder', api({ secrets: [{ secret: 'a', path: '/s/a' }, { secret: 'b', path: '/s/b' }] }), 'services[0].secrets[1].path: "/s/b"', 'folder of its own'],
  ['disk size', prod({ databaseDiskSizeGb: 5 }), 'environments[0].databaseDiskSizeGb: 5', 'at least 10'],
  ['maintenance day', prod({ maintenanceDay: 0 }), 'environments[0].maintenanceDay: 0', 'from 1 (Monday) to 7 (Sunday)'],
  ['maintenance hour', prod({ maintenanceHour: 24 }), 'environments[0].maintenanceHour: 24', 'from 0 to 23'],
  ['branch and tag', prod({ deployBranch: '^main$', deployTag: '^v.*$' }), 'environments[0].deployBranch and environments[0].deployTag: {"deployBranch":"^main$","deployTag":"^v.*$"}', 'one of the two'],
  ['deploy pattern', prod({ deployBranch: '(' }), 'environments[0].deployBranch: "("', 'a regular expression'],
  ['production protection', prod({ deletionProtection: false }), 'environments[0].deletionProtection: false', 'true in a production environment'],
  ['environment region', prod({ region: 'EU' }), 'environments[0].region: "EU"', '"europe-west1"'],
  ['shared project', { environments: [{ name: 'staging', projectId: 'orders-shared' }, { name: 'qa', projectId: 'orders-shared' }] }, 'environments[1].projectId: "orders-shared"', 'environment "staging" uses it'],
  ['state bucket', { stateBucket: 'Not A Bucket!' }, 'stateBucket: "Not A Bucket!"', 'lowercase letters'],
  ['network project', { networkProjectId: 'Host Project' }, 'networkProjectId: "Host Project"', '6 to 30'],
  ['reserved database', { databaseName: 'postgres' }, 'databaseName: "postgres"', 'which Cloud SQL already has'],
  ['frontend name', { frontend: { name: 'api' }, services: [{ name: 'api', public: true }] }, 'frontend.name: "api"', 'a name no service uses'],
  ['frontend needs a public API', { frontend: {} }, 'services[0].public: false', 'true when the repo has a frontend'],
  ['environment name', prod({ name: 'Prod' }), 'environments[0].name: "Prod"', 'lowercase letters'],
  ['edition', prod({ databaseEdition: 'STANDARD' }), 'environments[0].databaseEdition: "STANDARD"', '"ENTERPRISE" or "ENTERPRISE_PLUS"'],
  ['Enterprise Plus tier', prod({ databaseEdition: 'ENTERPRISE_PLUS', databaseTier: 'db-custom-2-8192' }), 'environments[0].databaseTier: "db-custom-2-8192"', 'a tier of the ENTERPRISE_PLUS edition'],
];

test.each(rules)('%s rule names the option', (_rule, options, named, allowed) => {
  const message = errorFor(options);
  expect(message).toContain(`${named} is invalid.`);
  expect(message).toContain(allowed);
  expect(message).toContain('Fix: ');
});
