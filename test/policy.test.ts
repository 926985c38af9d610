import * as fs from 'fs';
import * as path from 'path';
import { GcpAppProject } from '../src';
import { synthClient, temporaryDirectory } from './support/synth';

/** One row a rule: the override that breaks it, the environment and the resource it names. */
const rules: Array<[string, string, string, unknown, string]> = [
  ['sql-public-ip', 'staging', 'resource.google_sql_database_instance.api_instance.settings.ip_configuration.ipv4_enabled', true, 'google_sql_database_instance.api_instance'],
  ['sql-iam-auth-off', 'staging', 'resource.google_sql_database_instance.api_instance.settings.database_flags', [{ name: 'cloudsql.iam_authentication', value: 'off' }], 'google_sql_database_instance.api_instance'],
  ['sql-password-user', 'staging', 'resource.google_sql_user.admin', { name: 'admin', instance: 'api-db', password: 'x' }, 'google_sql_user.admin'],
  ['service-account-key', 'staging', 'resource.google_service_account_key.ci', { service_account_id: 'api-run' }, 'google_service_account_key.ci'],
  ['egress-all-traffic', 'staging', 'resource.google_cloud_run_v2_service.api_service.template.vpc_access.egress', 'ALL_TRAFFIC', 'google_cloud_run_v2_service.api_service'],
  ['egress-all-traffic', 'staging', 'resource.google_cloud_run_v2_job.api_migration_job.template.template.vpc_access.egress', 'ALL_TRAFFIC', 'google_cloud_run_v2_job.api_migration_job'],
  ['public-invoker', 'staging', 'resource.google_cloud_run_v2_service_iam_member.open', { name: '${google_cloud_run_v2_service.api_service.name}', location: 'europe-west1', role: 'roles/run.invoker', member: 'allUsers' }, 'google_cloud_run_v2_service_iam_member.open'],
  ['prod-deletion-protection', 'prod', 'resource.google_sql_database_instance.api_instance.deletion_protection', false, 'google_sql_database_instance.api_instance'],
  ['prod-deletion-protection', 'prod', 'resource.google_cloud_run_v2_service.api_service.deletion_protection', false, 'google_cloud_run_v2_service.api_service'],
];

test.each(rules)('%s is rejected in %s', (rule, environment, override, value, resource) => {
  expect(() => synthClient({}, (project) => project.addTerraformOverride(environment, override, value))).toThrow(
    `${resource} breaks ${rule}. Fix: `,
  );
});

test.each(rules)('%s exception is recorded in %s', (rule, environment, override, value, resource) => {
  const reason = 'Reviewed by the platform team for a migration window.';
  const client = synthClient({ policyExceptions: [{ rule, resource, environment, reason }] }, (project) =>
    project.addTerraformOverride(environment, override, value),
  );
  const [type, id] = resource.split('.');
  expect(client.json(`infra/${environment}/main.tf.json`).resource[type][id]['//']).toBe(`policy exception ${rule}: ${reason}`);
});

test('staging may turn deletion protection off', () => {
  const client = synthClient({}, (project) =>
    project.addTerraformOverride('staging', 'resource.google_sql_database_instance.api_instance.deletion_protection', false),
  );
  expect(client.json('infra/staging/main.tf.json').resource.google_sql_database_instance.api_instance.deletion_protection).toBe(false);
});

test('declared public service may allow all users', () => {
  const client = synthClient({ services: [{ name: 'api', public: true }] });
  expect(client.json('infra/prod/main.tf.json').resource.google_cloud_run_v2_service_iam_member.api_public_invoker.member).toBe('allUsers');
});

test('violation writes no file', () => {
  const dir = temporaryDirectory('policy');
  const project = new GcpAppProject({ name: 'orders', region: 'europe-west1', outdir: dir });
  project.addTerraformOverride('staging', 'resource.google_service_account_key.ci', { service_account_id: 'api-run' });
  expect(() => project.synth()).toThrow('breaks service-account-key');
  expect(fs.readdirSync(dir)).toEqual([]);
  expect(fs.existsSync(path.join(dir, 'infra'))).toBe(false);
});

test('exception needs a known rule and a reason', () => {
  const dir = temporaryDirectory('policy');
  expect(
    () =>
      new GcpAppProject({
        name: 'orders',
        region: 'europe-west1',
        outdir: dir,
        policyExceptions: [{ rule: 'no-such-rule', resource: 'x.y', environment: 'qa', reason: 'ok' }],
      }),
  ).toThrow(/policyExceptions\[0\]\.rule: "no-such-rule" is invalid[\s\S]*policyExceptions\[0\]\.environment: "qa" is invalid[\s\S]*policyExceptions\[0\]\.reason: "ok" is invalid/);
});
