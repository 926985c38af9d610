import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Checks on synthesized Terraform JSON shared by the tests. */

/** Returns every `${...}` expression in a string, with nested braces kept whole. */
export function expressions(text: string): string[] {
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
export function defined(tf: any, address: string): boolean {
  const [first, second, third] = address.split('.');
  if (first === 'var') return Boolean(tf.variable?.[second]);
  if (first === 'local') return tf.locals?.[second] !== undefined;
  if (first === 'data') return Boolean(tf.data?.[second]?.[third]);
  return Boolean(tf.resource?.[first]?.[second]);
}

/**
 * Finds the addresses in `${...}` expressions of resources, outputs and the
 * provider that name no block of the file. Returns how many references were
 * checked, so that a test can tell an empty file from a clean one.
 */
export function unresolvedReferences(tf: any): { references: number; unresolved: string[] } {
  const addresses = strings({ resource: tf.resource, output: tf.output, provider: tf.provider })
    .flatMap(expressions)
    .flatMap((expression) => [...expression.matchAll(/\b((?:data\.)?[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)/g)])
    .map((match) => match[1])
    .filter((address) => /^(var|local|data|google_)/.test(address));
  const unresolved = addresses.filter((address) => {
    const base = address.startsWith('data.') ? address : address.split('.').slice(0, 2).join('.');
    return !defined(tf, base);
  });
  return { references: addresses.length, unresolved };
}

/** Path of the terraform binary, or undefined when it is not installed. */
export const terraformBinary: string | undefined = (() => {
  try {
    return execFileSync('which', ['terraform'], { encoding: 'utf-8' }).trim();
  } catch {
    return undefined;
  }
})();

/**
 * Runs `terraform providers` on a copy of the JSON in `dir` and returns its
 * output. The command reads every block of the configuration without
 * downloading providers, so it finds structural errors. The GCS backend is
 * left out of the copy because it would ask for `terraform init`.
 */
export function terraformProviders(tf: any, dir: string): string {
  const { backend: _backend, ...settings } = tf.terraform;
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ ...tf, terraform: settings }, undefined, 2));
  return execFileSync(terraformBinary!, ['providers', '-no-color'], {
    cwd: dir,
    encoding: 'utf-8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1' },
  });
}
