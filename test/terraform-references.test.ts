import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DatabaseMode, PrivateServicesAccess, VpcAccessMode } from '../src';
import { synthClient, temporaryDirectory } from './support/synth';
import { defined, unresolvedReferences } from './support/terraform-checks';

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

const terraform = (() => {
  try {
    return execFileSync('which', ['terraform'], { encoding: 'utf-8' }).trim();
  } catch {
    return undefined;
  }
})();

/**
 * `terraform providers` reads every block of the configuration without
 * downloading providers, so it finds structural errors in the JSON. The GCS
 * backend is left out of the copy because it would ask for `terraform init`.
 */
(terraform ? test : test.skip).each(files)('terraform reads $label', ({ tf }) => {
  const dir = temporaryDirectory('terraform');
  const { backend, ...settings } = tf.terraform;
  expect(backend.gcs.bucket).toMatch(/-tfstate$/);
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ ...tf, terraform: settings }, undefined, 2));

  const output = execFileSync(terraform!, ['providers', '-no-color'], {
    cwd: dir,
    encoding: 'utf-8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1' },
  });
  expect(output).toContain('provider[registry.terraform.io/hashicorp/google] >= 7.0.0, < 8.0.0');
});
