/**
 * Benchmarks a client repo against a plain projen TypeScript project created
 * the same way, in one run, and writes docs/benchmarks.md.
 *
 * Usage: npx projen bench [--quick]
 *
 * Every measurement is repeated, in an order that rotates between
 * repetitions, and reported as min / median / max. Ratios divide medians
 * measured in this same run, so they hold across machines better than the
 * absolute times. `--quick` runs one repetition and writes
 * .work/benchmarks-quick.md instead, so CI keeps the script working without
 * timing anything.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeTempDir, packPackage, REPO_ROOT } from '../support/client-repo';
import { clientEnv, run } from '../support/process';

const quick = process.argv.includes('--quick');
const SYNTH_REPETITIONS = quick ? 1 : 5;
const SLOW_REPETITIONS = quick ? 1 : 3;
const PROJEN = path.join(REPO_ROOT, 'node_modules', '.bin', 'projen');
const TIME = '/usr/bin/time';

interface Sample {
  readonly seconds: number;
  readonly peakMb: number;
}

interface Stats {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** Runs a command under GNU time and returns its wall time and peak resident memory of any process. */
function measure(command: string, args: string[], cwd: string): Sample {
  const report = path.join(os.tmpdir(), `bench-time-${process.pid}`);
  const result = spawnSync(TIME, ['-f', '%e %M', '-o', report, command, ...args], { cwd, env: clientEnv(), encoding: 'utf-8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}${result.stderr}`);
  }
  const [seconds, kilobytes] = fs.readFileSync(report, 'utf-8').trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds, peakMb: kilobytes / 1024 };
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
}

/** Runs each named measurement `repetitions` times, rotating the order every repetition. */
function rotate<T>(names: string[], repetitions: number, measureOne: (name: string) => T): Map<string, T[]> {
  const results = new Map<string, T[]>(names.map((name) => [name, []]));
  for (let repetition = 0; repetition < repetitions; repetition++) {
    const order = [...names.slice(repetition % names.length), ...names.slice(0, repetition % names.length)];
    for (const name of order) results.get(name)!.push(measureOne(name));
  }
  return results;
}

const seconds = (value: number) => `${value.toFixed(2)} s`;
const triple = (value: Stats, format: (value: number) => string) =>
  `${format(value.min)} / ${format(value.median)} / ${format(value.max)}`;

function projenrc(devDeps: string, services: number, environments: number, typeCheck = true): string {
  const names = ['staging', 'prod', 'qa'].slice(0, environments);
  const lines = [
    'import { GcpAppProject } from "projen-gcp-app";',
    '',
    'const project = new GcpAppProject({',
    '  name: "bench",',
    '  region: "europe-west1",',
    `  environments: [${names.map((name) => `{ name: "${name}", projectId: "bench-${name}" }`).join(', ')}],`,
    `  services: [${Array.from({ length: services }, (_, index) => `{ name: "svc-${String(index + 1).padStart(2, '0')}" }`).join(', ')}],`,
    ...(typeCheck ? [] : ['  projenrcTypeCheck: false,']),
    `  devDeps: ${devDeps},`,
    '});',
    '',
    'project.synth();',
    '',
  ];
  return lines.join('\n');
}

function directorySizeMb(dir: string): number {
  return Number(run('du', ['-sb', dir]).split('\t')[0]) / 1024 / 1024;
}

function main(): void {
  if (!fs.existsSync(TIME)) throw new Error(`${TIME} (GNU time) is missing; install the Debian package "time".`);
  const work = makeTempDir('bench');
  try {
    benchmark(work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function benchmark(work: string): void {
  console.log('Packing projen-gcp-app and creating the projects ...');
  const tarball = packPackage(work);
  const dirs = { plain: path.join(work, 'plain'), client: path.join(work, 'client'), fast: path.join(work, 'fast') };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir);
  run(PROJEN, ['new', 'typescript', '--projenrc-ts', '--no-git'], { cwd: dirs.plain, env: clientEnv() });
  run(PROJEN, ['new', '--from', tarball, 'gcp-app', '--no-git'], { cwd: dirs.client, env: clientEnv() });
  run(PROJEN, ['new', '--from', tarball, 'gcp-app', '--no-git'], { cwd: dirs.fast, env: clientEnv() });

  const devDeps = /devDeps: (\[.*\]),/.exec(fs.readFileSync(path.join(dirs.client, '.projenrc.ts'), 'utf-8'))![1];
  const defaultProjenrc = projenrc(devDeps, 1, 2);
  fs.writeFileSync(path.join(dirs.client, '.projenrc.ts'), defaultProjenrc);
  fs.writeFileSync(path.join(dirs.fast, '.projenrc.ts'), projenrc(devDeps, 1, 2, false));
  for (const dir of Object.values(dirs)) run('npx', ['projen'], { cwd: dir, env: clientEnv() });

  console.log(`Timing re-synth, ${SYNTH_REPETITIONS} repetitions ...`);
  const synth = rotate(['plain', 'client', 'fast'], SYNTH_REPETITIONS, (name) =>
    measure('npx', ['projen'], dirs[name as keyof typeof dirs]),
  );

  console.log('Timing synth for 1, 5 and 20 services across 1, 2 and 3 environments ...');
  const configs = [1, 5, 20].flatMap((services) => [1, 2, 3].map((environments) => `${services}x${environments}`));
  const scaling = rotate(configs, SYNTH_REPETITIONS, (config) => {
    const [services, environments] = config.split('x').map(Number);
    fs.writeFileSync(path.join(dirs.client, '.projenrc.ts'), projenrc(devDeps, services, environments));
    run('npx', ['projen'], { cwd: dirs.client, env: clientEnv() });
    return measure('npx', ['projen'], dirs.client);
  });
  fs.writeFileSync(path.join(dirs.client, '.projenrc.ts'), defaultProjenrc);
  run('npx', ['projen'], { cwd: dirs.client, env: clientEnv() });

  console.log(`Timing projen new and npm ci, ${SLOW_REPETITIONS} repetitions ...`);
  let created = 0;
  const creation = rotate(['plain', 'client'], SLOW_REPETITIONS, (name) => {
    const dir = path.join(work, `new-${created++}`);
    fs.mkdirSync(dir);
    const args = name === 'plain' ? ['new', 'typescript', '--projenrc-ts', '--no-git'] : ['new', '--from', tarball, 'gcp-app', '--no-git'];
    const sample = measure(PROJEN, args, dir);
    fs.rmSync(dir, { recursive: true, force: true });
    return sample;
  });
  const install = rotate(['plain', 'client'], SLOW_REPETITIONS, (name) => {
    const dir = dirs[name as 'plain' | 'client'];
    fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
    return measure('npm', ['ci', '--no-audit', '--no-fund'], dir);
  });
  const sizes = { plain: directorySizeMb(path.join(dirs.plain, 'node_modules')), client: directorySizeMb(path.join(dirs.client, 'node_modules')) };

  writeReport({ synth, scaling, creation, install, sizes, configs });
}

interface Results {
  readonly synth: Map<string, Sample[]>;
  readonly scaling: Map<string, Sample[]>;
  readonly creation: Map<string, Sample[]>;
  readonly install: Map<string, Sample[]>;
  readonly sizes: { plain: number; client: number };
  readonly configs: string[];
}

function writeReport(results: Results): void {
  const time = (samples: Sample[]) => stats(samples.map((sample) => sample.seconds));
  const memory = (samples: Sample[]) => stats(samples.map((sample) => sample.peakMb));
  const megabytes = (value: number) => `${value.toFixed(0)} MB`;
  const plain = time(results.synth.get('plain')!).median;
  const plainMemory = memory(results.synth.get('plain')!).median;
  const client = time(results.synth.get('client')!).median;
  const fast = time(results.synth.get('fast')!).median;
  const largest = time(results.scaling.get('20x3')!).median;
  const defaultScaled = time(results.scaling.get('1x2')!).median;
  const peakRatio = Math.max(...[...results.synth.values(), ...results.scaling.values()].map((samples) => memory(samples).median)) / plainMemory;
  const check = (value: number, target: number) => `${value.toFixed(2)} (target ≤ ${target}) ${value <= target ? 'met' : 'MISSED'}`;

  const cpus = os.cpus();
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npx projen bench` (test/bench/benchmark.ts); do not edit by hand.',
    '',
    `- Machine: ${cpus.length} × ${cpus[0]?.model.trim()}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB memory, Node.js ${process.version}, ${os.platform()} ${os.release()}`,
    `- Repetitions: ${SYNTH_REPETITIONS} for each synth, ${SLOW_REPETITIONS} for projen new and npm ci, in rotating order`,
    '- Times are wall-clock seconds of the whole command, min / median / max; memory is the peak resident set of the largest process, from GNU time',
    '- "plain" is `projen new typescript --projenrc-ts`; "client" is `projen new --from <tarball> gcp-app` with 1 service and 2 environments; "fast" is the client with `projenrcTypeCheck: false`',
    '',
    '## Targets',
    '',
    '| ratio of medians | value |',
    '|---|---|',
    `| client re-synth / plain re-synth | ${check(client / plain, 1.1)} |`,
    `| fast client re-synth / plain re-synth | ${check(fast / plain, 0.7)} |`,
    `| 20 services × 3 environments / 1 service × 2 environments | ${check(largest / defaultScaled, 1.1)} |`,
    `| highest peak memory of any client synth / plain synth | ${check(peakRatio, 1.3)} |`,
    '',
    '## Re-synth (`npx projen` with nothing to change)',
    '',
    '| project | time | peak memory |',
    '|---|---|---|',
    ...[...results.synth].map(([name, samples]) => `| ${name} | ${triple(time(samples), seconds)} | ${triple(memory(samples), megabytes)} |`),
    '',
    '## Scaling (services × environments)',
    '',
    '| services × environments | time | ratio to 1 × 2 | peak memory |',
    '|---|---|---|---|',
    ...results.configs.map((config) => {
      const samples = results.scaling.get(config)!;
      return `| ${config.replace('x', ' × ')} | ${triple(time(samples), seconds)} | ${(time(samples).median / defaultScaled).toFixed(2)} | ${triple(memory(samples), megabytes)} |`;
    }),
    '',
    '## Creating and installing',
    '',
    '| measurement | plain | client | ratio |',
    '|---|---|---|---|',
    `| \`projen new\` with a warm npm cache | ${triple(time(results.creation.get('plain')!), seconds)} | ${triple(time(results.creation.get('client')!), seconds)} | ${(time(results.creation.get('client')!).median / time(results.creation.get('plain')!).median).toFixed(2)} |`,
    `| \`npm ci\` with a warm npm cache | ${triple(time(results.install.get('plain')!), seconds)} | ${triple(time(results.install.get('client')!), seconds)} | ${(time(results.install.get('client')!).median / time(results.install.get('plain')!).median).toFixed(2)} |`,
    `| installed size of node_modules | ${megabytes(results.sizes.plain)} | ${megabytes(results.sizes.client)} | ${(results.sizes.client / results.sizes.plain).toFixed(2)} |`,
    '',
  ];

  const target = quick ? path.join(REPO_ROOT, '.work', 'benchmarks-quick.md') : path.join(REPO_ROOT, 'docs', 'benchmarks.md');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, lines.join('\n'));
  console.log(lines.join('\n'));
  console.log(`Wrote ${path.relative(REPO_ROOT, target)}.`);
}

main();
