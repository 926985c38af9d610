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
  expect(message).toContain('region or environments[0].region: "Europe West" is invalid.');
  expect(message).toContain('"europe-west1"');
});

test('service name fits the account ID', () => {
  const message = errorFor({ serviceName: 'a-very-long-service-name-here' });
  expect(message).toContain('serviceName: "a-very-long-service-name-here" is invalid.');
  expect(message).toContain('at most 22 characters');
});

test("database user fits PostgreSQL's limit", () => {
  const message = errorFor({
    serviceName: 'orders-processing-apis',
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
  const message = errorFor({ region: 'nowhere', serviceName: 'API', databaseName: '1db' });
  expect(message).toMatch(/^Invalid projen-gcp-app options in \.projenrc\.ts \(4 problems\):/);
  expect(message).toContain('serviceName:');
  expect(message).toContain('databaseName:');
  expect(message.match(/region or environments\[\d\]\.region/g)).toHaveLength(2);
});

test('nothing is written for invalid options', () => {
  expect(fs.readdirSync(dir)).toEqual([]);
});
