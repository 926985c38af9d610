import { DatabaseMode, PrivateServicesAccess, VpcAccessMode } from '../src';
import { synthClient, temporaryDirectory } from './support/synth';
import { defined, terraformBinary, terraformProviders, unresolvedReferences } from './support/terraform-checks';

/** Repos that together produce every kind of resource the project type writes. */
const clients = {
  default: synthClient(),
  full: synthClient({
    privateServicesAccess: PrivateServicesAccess.CREATE,
    services: [
      { name: 'api', public: true, secrets: [{ secret: 'token', envVar: 'TOKEN' }, { secret: 'cert', path: '/secrets/cert/pem' }] },
      { name: 'worker', command: ['python', '-m', 'app.worker'] },
      { name: 'reports', database: DatabaseMode.DEDICATED },
      { name: 'frontend', database: DatabaseMode.NONE },
    ],
  }),
  direct: synthClient({ vpcAccess: VpcAccessMode.DIRECT }),
  platform: synthClient({
    platform: { stateBucket: 'acme-host-tfstate', name: 'acme-platform' },
    services: [{ name: 'api', invokers: ['group:partners@acme.com'], env: { FEATURE_FLAGS: 'beta' } }],
  }),
};
const files = Object.entries(clients).flatMap(([name, client]) =>
  ['staging', 'prod'].map((environment) => ({
    label: `${name} ${environment}`,
    tf: client.json(`infra/${environment}/main.tf.json`),
  })),
);

describe.each(files)('$label', ({ tf }) => {
  test('every reference resolves', () => {
    const { references, unresolved } = unresolvedReferences(tf);
    expect(references).toBeGreaterThan(10);
    expect(unresolved).toEqual([]);
  });

  test('every dependency exists', () => {
    const dependencies = Object.values(tf.resource).flatMap((resources: any) =>
      Object.values(resources).flatMap((resource: any) => resource.depends_on ?? []),
    ) as string[];
    expect(dependencies.length).toBeGreaterThan(0);
    for (const address of dependencies) {
      expect({ address, defined: defined(tf, address) }).toEqual({ address, defined: true });
    }
  });

  test('outputs have a value', () => {
    for (const [name, output] of Object.entries(tf.output) as Array<[string, any]>) {
      expect({ name, value: typeof output.value }).toEqual({ name, value: 'string' });
    }
  });
});

(terraformBinary ? test : test.skip).each(files)('terraform reads $label', ({ tf }) => {
  expect(tf.terraform.backend.gcs.bucket).toMatch(/-tfstate$/);
  const output = terraformProviders(tf, temporaryDirectory('terraform'));
  expect(output).toContain('provider[registry.terraform.io/hashicorp/google] >= 7.0.0, < 8.0.0');
});
