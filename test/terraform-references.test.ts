import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DatabaseMode, PrivateServicesAccess, VpcAccessMode } from '../src';
import { synthClient, temporaryDirectory } from './support/synth';

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
};
const files = Object.entries(clients).flatMap(([name, client]) =>
  ['staging', 'prod'].map((environment) => ({
    label: `${name} ${environment}`,
    tf: client.json(`infra/${environment}/main.tf.json`),
  })),
);

/** Returns every `${...}` expression in a string, with nested braces kept whole. */
function expressions(text: string): string[] {
  const found: string[] = [];
  let start = text.indexOf('${');
  while (start >= 0) {
    let depth = 0;
    let end = start + 1;
    for (; end < text.length; end++) {
      if (text[end] === '{') depth++;
      if (text[end] === '}' && --depth === 0) break;
    }
    if (end >= text.length) throw new Error(`Unclosed expression at: ${text.slice(start, start + 80)}`);
    found.push(text.slice(start + 2, end));
    start = text.indexOf('${', end);
  }
  return found;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Returns whether `address` (such as `google_sql_user.api` or `var.x`) names a block of the file. */
function defined(tf: any, address: string): boolean {
  const [first, second, third] = address.split('.');
  if (first === 'var') return Boolean(tf.variable?.[second]);
  if (first === 'local') return tf.locals?.[second] !== undefined;
  if (first === 'data') return Boolean(tf.data?.[second]?.[third]);
  return Boolean(tf.resource?.[first]?.[second]);
}

describe.each(files)('$label', ({ tf }) => {
  test('every reference resolves', () => {
    const references = strings({ resource: tf.resource, output: tf.output, provider: tf.provider })
      .flatMap(expressions)
      .flatMap((expression) => [...expression.matchAll(/\b((?:data\.)?[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)/g)])
      .map((match) => match[1])
      .filter((address) => /^(var|local|data|google_)/.test(address));
    expect(references.length).toBeGreaterThan(10);
    for (const address of references) {
      const base = address.startsWith('data.') ? address : address.split('.').slice(0, 2).join('.');
      expect({ address, defined: defined(tf, base) }).toEqual({ address, defined: true });
    }
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
