import fc from 'fast-check';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { unresolvedReferences } from './terraform-checks';
import { cloudBuildConfig } from '../../src/files/cloudbuild';
import { synthesizeEnvironment } from '../../src/infra/environment-stack';
import { resolveOptions } from '../../src/options/defaults';
import { InvalidOptionsError, validateOptions } from '../../src/options/validate';
import { checkPolicy } from '../../src/policy/policy-check';

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

/** Names mixing valid ones with each kind of invalid one the rules know. */
const serviceName = fc.constantFrom('api', 'worker', 'reports', 'web', 'svc-01', 'a', 'API', 'bad_name', 'ends-', 'x'.repeat(27));

const secret = fc.record({
  secret: fc.constantFrom('stripe-key', 'tls-cert', 'bad secret'),
  envVar: maybe(fc.constantFrom('STRIPE_KEY', 'TOKEN', 'DB_USER', 'lower')),
  path: maybe(fc.constantFrom('/secrets/a/key', '/secrets/b/key', '/cloudsql/key', 'relative/key', '/key')),
  version: maybe(fc.constantFrom('latest', '3')),
});

const anyService = fc.record({
  name: serviceName,
  database: maybe(fc.constantFrom('shared', 'dedicated', 'none', 'sqlite')),
  public: maybe(fc.boolean()),
  cpu: maybe(fc.constantFrom('1', '2', '500m', 'two')),
  memory: maybe(fc.constantFrom('512Mi', '1Gi', '512MB')),
  ingress: maybe(fc.constantFrom('INGRESS_TRAFFIC_ALL', 'INGRESS_TRAFFIC_INTERNAL_ONLY', 'public')),
  command: maybe(fc.constantFrom(['python', '-m', 'app.worker'], [])),
  secrets: maybe(fc.array(secret, { maxLength: 3 })),
  invokers: maybe(fc.array(fc.constantFrom('group:partners@acme.com', 'allUsers', 'partners@acme.com'), { maxLength: 2 })),
  env: maybe(fc.constantFrom({}, { FEATURE_FLAGS: 'beta' }, { DB_USER: 'x' }, { STRIPE_KEY: 'x' })),
});

const anyEnvironment = fc.record({
  name: fc.constantFrom('staging', 'prod', 'qa', 'production', 'Prod', ''),
  projectId: fc.constantFrom('acme-staging', 'acme-prod', 'acme-qa', 'acme-production', 'Bad Id', 'x'),
  region: maybe(fc.constantFrom('europe-west1', 'us-central1', 'nowhere')),
  production: maybe(fc.boolean()),
  databaseEdition: maybe(fc.constantFrom('ENTERPRISE', 'ENTERPRISE_PLUS', 'STANDARD')),
  databaseTier: maybe(fc.constantFrom('db-custom-1-3840', 'db-perf-optimized-N-4', 'db-f1-micro', 'huge')),
  databaseDiskSizeGb: maybe(fc.integer({ min: 0, max: 100 })),
  highAvailability: maybe(fc.boolean()),
  deletionProtection: maybe(fc.boolean()),
  maintenanceDay: maybe(fc.integer({ min: 0, max: 8 })),
  maintenanceHour: maybe(fc.integer({ min: -1, max: 24 })),
  minInstances: maybe(fc.integer({ min: -1, max: 5 })),
  maxInstances: maybe(fc.integer({ min: 0, max: 20 })),
  deployBranch: maybe(fc.constantFrom('^main$', '(')),
  deployTag: maybe(fc.constantFrom('^v.*$')),
});

/** Option sets with any value, most of which validation rejects. */
const anyOptionSets = fc.record(
  {
    region: fc.constantFrom('europe-west1', 'us-east4', 'nowhere'),
    environments: maybe(fc.array(anyEnvironment, { maxLength: 4 })),
    services: maybe(fc.array(anyService, { maxLength: 5 })),
    databaseName: maybe(fc.constantFrom('app', 'orders', 'postgres', '1db')),
    databaseVersion: maybe(fc.constantFrom('POSTGRES_15', 'POSTGRES_17', 'MYSQL_8_0')),
    vpcAccess: maybe(fc.constantFrom('connector', 'direct', 'peering')),
    connectorName: maybe(fc.constantFrom('platform-connector', 'a-connector-name-that-is-too-long')),
    privateServicesAccess: maybe(fc.constantFrom('reference', 'create', 'maybe')),
    privateServicesPrefixLength: maybe(fc.integer({ min: 4, max: 30 })),
    networkProjectId: maybe(fc.constantFrom('acme-host', 'Host Project')),
    platform: maybe(fc.constantFrom({ stateBucket: 'acme-host-tfstate', name: 'acme-platform' }, { stateBucket: 'Bad!', name: 'x' })),
    frontend: maybe(fc.record({ name: maybe(serviceName) })),
  },
  { requiredKeys: ['region'] },
);

const validEnvironments = fc
  .uniqueArray(
    fc.record({
      name: fc.constantFrom('staging', 'prod', 'qa', 'production'),
      region: maybe(fc.constantFrom('europe-west1', 'us-central1')),
      production: maybe(fc.boolean()),
      database: fc.constantFrom(
        {},
        { databaseEdition: 'ENTERPRISE', databaseTier: 'db-custom-2-7680' },
        { databaseEdition: 'ENTERPRISE_PLUS', databaseTier: 'db-perf-optimized-N-4' },
      ),
      highAvailability: maybe(fc.boolean()),
      deletionProtection: maybe(fc.boolean()),
      minInstances: maybe(fc.integer({ min: 0, max: 3 })),
      maxInstances: maybe(fc.integer({ min: 3, max: 20 })),
      deploy: fc.constantFrom({}, { deployBranch: '^main$' }, { deployTag: '^v.*$' }),
    }),
    { selector: (environment) => environment.name, minLength: 1, maxLength: 3 },
  )
  .map((environments) =>
    environments.map(({ database, deploy, ...environment }) => ({
      ...environment,
      ...database,
      ...deploy,
      projectId: `acme-${environment.name}`,
    })),
  );

const validServices = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom('api', 'worker', 'reports', 'svc-01'),
    database: maybe(fc.constantFrom('shared', 'dedicated', 'none')),
    public: maybe(fc.boolean()),
    cpu: maybe(fc.constantFrom('1', '2', '500m')),
    memory: maybe(fc.constantFrom('512Mi', '1Gi')),
    ingress: maybe(fc.constantFrom('INGRESS_TRAFFIC_ALL', 'INGRESS_TRAFFIC_INTERNAL_ONLY')),
    command: maybe(fc.constant(['python', '-m', 'app.worker'])),
    secrets: fc.constantFrom(
      [],
      [{ secret: 'stripe-key', envVar: 'STRIPE_KEY' }],
      [{ secret: 'stripe-key', envVar: 'STRIPE_KEY' }, { secret: 'tls-cert', path: '/secrets/tls/cert.pem', version: '3' }],
    ),
    invokers: maybe(fc.constant(['group:partners@acme.com'])),
    env: maybe(fc.constant({ FEATURE_FLAGS: 'beta' })),
  }),
  { selector: (service) => service.name, minLength: 1, maxLength: 4 },
);

/** Option sets that meet every rule, so that synthesis runs on many shapes. */
const validOptionSets = fc
  .record(
    {
      region: fc.constantFrom('europe-west1', 'us-east4'),
      environments: validEnvironments,
      services: validServices,
      vpcAccess: maybe(fc.constantFrom('connector', 'direct')),
      privateServicesAccess: maybe(fc.constantFrom('reference', 'create')),
      databaseVersion: maybe(fc.constantFrom('POSTGRES_15', 'POSTGRES_16')),
      frontend: maybe(fc.constant({ name: 'web' })),
      platform: maybe(fc.constant({ stateBucket: 'acme-host-tfstate', name: 'acme-platform' })),
    },
    { requiredKeys: ['region', 'environments', 'services'] },
  )
  .map((options) =>
    options.frontend
      ? { ...options, services: options.services.map((service, index) => (index === 0 ? { ...service, public: true } : service)) }
      : options,
  )
  // The platform supplies the network and creates only connector subnets.
  .map(({ vpcAccess, privateServicesAccess, ...options }) =>
    options.platform ? options : { ...options, vpcAccess, privateServicesAccess },
  );

/** Option sets over the whole options space, valid and invalid. */
export const optionSets: fc.Arbitrary<Record<string, unknown>> = fc.oneof(validOptionSets, anyOptionSets);

/**
 * Runs the project type's pipeline on one option set: resolve, validate,
 * synthesize every environment and the build. Returns "rejected" when
 * validation raised its one error, and throws on anything else that goes
 * wrong: a crash, unresolved references, a policy violation or an invalid
 * build file.
 */
export function checkOptionSet(options: Record<string, unknown>): 'rejected' | 'synthesized' {
  let app;
  try {
    app = resolveOptions({ name: 'acme', ...options } as any);
    validateOptions(app);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return 'rejected';
    throw error;
  }

  const publicServices = [...app.services, ...(app.frontend ? [app.frontend] : [])].filter((s) => s.public).map((s) => s.name);
  for (const environment of app.environments) {
    const json = JSON.parse(JSON.stringify(synthesizeEnvironment(app, environment)));
    const { unresolved } = unresolvedReferences(json);
    if (unresolved.length > 0) throw new Error(`Unresolved references in ${environment.name}: ${unresolved.join(', ')}`);
    const violations = checkPolicy(json, { environment: environment.name, production: environment.production, publicServices }, []);
    if (violations.length > 0) throw new Error(`Policy violations in ${environment.name}: ${JSON.stringify(violations)}`);
  }
  const build = parseYaml(stringifyYaml(cloudBuildConfig(app)));
  const ids = build.steps.map((step: { id: string }) => step.id);
  if (new Set(ids).size !== ids.length) throw new Error(`Duplicate build step IDs: ${ids.join(', ')}`);
  return 'synthesized';
}
