import * as fs from 'fs';
import * as path from 'path';
import { DatabaseMode, PrivateServicesAccess } from '../src';
import { synthClient } from './support/synth';

/** Patterns of credentials that must never appear in a generated file. */
const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['private key block', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['service account key JSON', /"private_key(_id)?"\s*:/],
  ['credentials file variable', /GOOGLE_APPLICATION_CREDENTIALS/],
  ['Google API key', /AIza[0-9A-Za-z_-]{35}/],
  ['AWS access key', /AKIA[0-9A-Z]{16}/],
  ['GitHub token', /gh[pousr]_[0-9A-Za-z]{36}/],
  ['npm auth token', /_authToken\s*=/],
  ['database URL with a password', /postgres(ql)?(\+\w+)?:\/\/[^:@\s/]+:[^@\s/]+@/],
  ['literal password or key', /\b(password|passwd|secret_key|api_key|token)\s*[:=]\s*["'][^"'${}\s]{4,}["']/i],
];

/** Returns every file under `dir`, as paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(path.join(dir, entry.name), relative);
    return [relative];
  });
}

function findSecrets(dir: string): string[] {
  return filesUnder(dir).flatMap((file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf-8');
    return SECRET_PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([name]) => `${file}: ${name}`);
  });
}

const client = synthClient({
  services: [
    { name: 'api', public: true, secrets: [{ secret: 'stripe-key', envVar: 'STRIPE_KEY' }, { secret: 'tls-cert', path: '/secrets/tls/cert.pem' }] },
    { name: 'reports', database: DatabaseMode.DEDICATED },
  ],
  frontend: {},
  privateServicesAccess: PrivateServicesAccess.CREATE,
});

test('generated tree has no secret', () => {
  const files = filesUnder(client.dir);
  expect(files.length).toBeGreaterThan(50);
  expect(findSecrets(client.dir)).toEqual([]);
});

test('secrets are referenced, not copied', () => {
  const tf = client.text('infra/prod/main.tf.json');
  expect(tf).toContain('"secret": "stripe-key"');
  expect(tf).toContain('"version": "latest"');
});

test('scan finds a planted secret', () => {
  const planted = path.join(client.dir, 'backend', 'app', 'planted.py');
  fs.writeFileSync(planted, 'DATABASE_URL = "postgresql+pg8000://app:hunter22@db/app"\napi_key = "abcd1234efgh"\n');
  try {
    expect(findSecrets(client.dir)).toEqual([
      'backend/app/planted.py: database URL with a password',
      'backend/app/planted.py: literal password or key',
    ]);
  } finally {
    fs.rmSync(planted);
  }
});
