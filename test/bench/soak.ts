/**
 * Runs the option-set property on many generated option sets and writes
 * docs/soak.md with the count, the outcomes and the time it took.
 *
 * Usage: npx projen soak [runs]   (default 10000)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { REPO_ROOT } from '../support/client-repo';
import { checkOptionSet, optionSets } from '../support/option-properties';

const runs = Number(process.argv[2] ?? 10_000);
const seed = Date.now() % 2 ** 31;
const outcomes = { rejected: 0, synthesized: 0 };
const started = process.hrtime.bigint();

fc.assert(
  fc.property(optionSets, (options) => {
    outcomes[checkOptionSet(options)]++;
  }),
  { numRuns: runs, seed },
);

const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpus = os.cpus();
const report = [
  '# Soak run of the options property',
  '',
  'Written by `npx projen soak` (test/bench/soak.ts); do not edit by hand.',
  '',
  'Each option set is resolved and validated; a valid one is synthesized for every environment, its references are',
  'resolved, the security policy is checked and the build file is read back. A run fails on anything but a',
  'synthesized set or the one validation error.',
  '',
  '| option sets | synthesized | rejected by validation | failures | time | seed |',
  '|---|---|---|---|---|---|',
  `| ${runs} | ${outcomes.synthesized} | ${outcomes.rejected} | 0 | ${seconds.toFixed(1)} s | ${seed} |`,
  '',
  `Machine: ${cpus.length} × ${cpus[0]?.model.trim()}, Node.js ${process.version}.`,
  '',
].join('\n');

fs.writeFileSync(path.join(REPO_ROOT, 'docs', 'soak.md'), report);
console.log(report);
