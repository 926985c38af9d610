import * as fs from 'fs';
import * as path from 'path';
import { run } from './support/process';
import { temporaryDirectory } from './support/synth';
import { checkOut } from '../src/fleet/checkout';

/** Checkouts of registry repos that fail, each leaving no folder behind. */
const workspace = temporaryDirectory('fleet-checkout');

test('remote helper transport is rejected', () => {
  const marker = path.join(workspace, 'marker');
  const dir = path.join(workspace, 'helper');
  const failure = checkOut({ dir, cloneFrom: `ext::sh -c touch% ${marker}` }, process.env);
  expect(failure).toMatch(/^git clone of ext::sh .* failed: .*transport 'ext' not allowed/);
  expect(fs.existsSync(marker)).toBe(false);
  expect(fs.existsSync(dir)).toBe(false);
});

test('failed npm ci removes the clone', () => {
  const origin = path.join(workspace, 'origin');
  fs.mkdirSync(origin);
  run('git', ['init', '--quiet', '--initial-branch', 'main'], { cwd: origin });
  // A package.json without a lockfile, which npm ci rejects.
  fs.writeFileSync(path.join(origin, 'package.json'), JSON.stringify({ name: 'shop', private: true }));
  run('git', ['add', '.'], { cwd: origin });
  run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '--quiet', '-m', 'init'], { cwd: origin });

  const dir = path.join(workspace, 'shop');
  const failure = checkOut({ dir, cloneFrom: origin }, process.env);
  expect(failure).toMatch(/^npm ci failed in the clone of .*origin, which was removed/);
  expect(fs.existsSync(dir)).toBe(false);
});

test('existing folder is used as it is', () => {
  const dir = path.join(workspace, 'existing');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'local-change.txt'), 'kept');
  expect(checkOut({ dir, cloneFrom: '/nowhere/at/all' }, process.env)).toBeUndefined();
  expect(fs.readFileSync(path.join(dir, 'local-change.txt'), 'utf-8')).toBe('kept');
});

test('clone error is reported for a missing folder', () => {
  const dir = path.join(workspace, 'rejected');
  expect(checkOut({ dir, cloneError: 'repository "x" is outside --clone-base y' }, process.env)).toBe('repository "x" is outside --clone-base y');
  expect(fs.existsSync(dir)).toBe(false);
});
