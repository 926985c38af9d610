#!/usr/bin/env node
/**
 * `fleet`: status and upgrades of many client repos at once.
 *
 *   fleet status (--repos FILE | --registry URL --workspace DIR [--clone-base URL]) [--jobs N] [--latest VERSION]
 *   fleet upgrade --to VERSION (--repos FILE | --registry URL --workspace DIR [--clone-base URL]) [--jobs N]
 *     [--test-command "npx projen test"] [--state FILE]
 *
 * Repos come from a file with one path a line, or from the platform's
 * project registry: each registered project is checked out at
 * `<workspace>/<name>`, and fleet clones the ones that are missing. Upgrades
 * run at most N at a time (default 4), each in a child process, never touch
 * a repo with uncommitted changes, and record results in the state file so
 * that a second run resumes where the first stopped.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkOut, cloneSource, type FleetRepo } from './checkout';
import { listProjects, registryToken, registryUrl } from './registry';
import { failureLine, FleetError, readReposFile, runIn } from './repos';
import { type RepoStatus, repoStatus } from './status';
import { type UpgradeResult, upgradeRepo } from './upgrade';

interface Arguments {
  readonly command: string;
  readonly flags: Map<string, string>;
}

function parseArguments(argv: string[]): Arguments {
  const [command = '', ...rest] = argv;
  const flags = new Map<string, string>();
  for (let index = 0; index < rest.length; index += 2) {
    const flag = rest[index];
    if (!flag.startsWith('--') || rest[index + 1] === undefined) {
      throw new FleetError(`Invalid argument "${flag}": expected --name value pairs. Run fleet --help.`);
    }
    flags.set(flag.slice(2), rest[index + 1]);
  }
  return { command, flags };
}

function required(flags: Map<string, string>, name: string): string {
  const value = flags.get(name);
  if (!value) throw new FleetError(`Missing --${name}. Run fleet --help.`);
  return value;
}

/** An exact npm version, as `npm install name@VERSION` takes and package.json records. */
const VERSION = /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Returns the flag's value after checking it is an exact version, or undefined when the flag is missing. */
function version(flags: Map<string, string>, name: string): string | undefined {
  const value = flags.get(name);
  if (value !== undefined && !VERSION.test(value)) {
    throw new FleetError(`Invalid --${name} "${value}": use an exact version such as 1.4.0.`);
  }
  return value;
}

function jobs(flags: Map<string, string>): number {
  const value = Number(flags.get('jobs') ?? 4);
  if (!Number.isInteger(value) || value < 1) throw new FleetError(`Invalid --jobs "${flags.get('jobs')}": use a whole number of 1 or more.`);
  return value;
}


/**
 * Lists the repos to work on, from --repos or from the projects of
 * --registry. Throws before any repo is touched when the flags are invalid
 * or the registry fails.
 */
async function selectRepos(flags: Map<string, string>): Promise<FleetRepo[]> {
  const reposFile = flags.get('repos');
  const registry = flags.get('registry');
  if (reposFile && registry) throw new FleetError('Use either --repos or --registry, not both. Run fleet --help.');
  if (reposFile) {
    for (const name of ['workspace', 'clone-base']) {
      if (flags.has(name)) throw new FleetError(`--${name} applies only with --registry. Run fleet --help.`);
    }
    return readReposFile(reposFile).map((dir) => ({ dir }));
  }
  if (!registry) throw new FleetError('Missing --repos or --registry. Run fleet --help.');

  const workspace = flags.get('workspace');
  if (!workspace) throw new FleetError('Missing --workspace: --registry needs the folder where each project is checked out as <name>. Run fleet --help.');
  const url = registryUrl(registry);
  const projects = await listProjects(url, registryToken(url, process.env));
  // fleet runs each clone's code, so it clones only from a source the operator names.
  const cloneBase = flags.get('clone-base');
  return projects.map((project) => {
    const dir = path.resolve(workspace, project.name);
    if (cloneBase === undefined) {
      return { dir, cloneError: `not checked out, and fleet clones only with --clone-base; clone it into ${dir} or pass --clone-base` };
    }
    try {
      return { dir, cloneFrom: cloneSource(project.repository, cloneBase) };
    } catch (error) {
      return { dir, cloneError: (error as Error).message };
    }
  });
}

/** Runs `work` on each item, at most `limit` at a time, keeping the input order in the results. */
async function inPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Runs this CLI's hidden `upgrade-one` command in a child process and returns its JSON result. */
function upgradeInChild(repo: string, to: string, testCommand: string): Promise<UpgradeResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [__filename, 'upgrade-one', '--repo', repo, '--to', to, '--test-command', testCommand], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.on('exit', () => {
      try {
        resolve(JSON.parse(output));
      } catch {
        resolve({ repo, to, filesChanged: 0, tests: 'not run', result: 'failed', detail: errors.trim().split('\n')[0] });
      }
    });
  });
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function latestVersion(): string | undefined {
  try {
    return runIn(process.cwd(), 'npm', ['view', 'projen-gcp-app', 'version']).trim();
  } catch (error) {
    console.error(`Could not read the newest version from the npm registry, so "behind" is unknown: ${failureLine(error)}`);
    return undefined;
  }
}

function behindText(entry: RepoStatus, latest: string | undefined): string {
  if (latest === undefined) return 'unknown';
  if (entry.version === undefined) return '-';
  return entry.behind ? `yes (${latest})` : 'no';
}

async function status(flags: Map<string, string>): Promise<number> {
  const repos = await selectRepos(flags);
  const latest = version(flags, 'latest') ?? latestVersion();
  const statuses: RepoStatus[] = await inPool(repos, jobs(flags), async (repo) => {
    const checkoutError = checkOut(repo, process.env);
    if (checkoutError) return { repo: repo.dir, behind: false, uncommitted: 0, drift: [], error: checkoutError };
    return repoStatus(repo.dir, latest, process.env);
  });
  console.log(
    table(
      ['repo', 'version', 'behind', 'uncommitted', 'hand-edited managed files'],
      statuses.map((entry) => [
        entry.repo,
        entry.version ?? '-',
        behindText(entry, latest),
        String(entry.uncommitted),
        entry.error ? `error: ${entry.error}` : entry.drift.join(', ') || 'none',
      ]),
    ),
  );
  return statuses.some((entry) => entry.error) ? 1 : 0;
}

async function upgrade(flags: Map<string, string>): Promise<number> {
  const to = version(flags, 'to') ?? required(flags, 'to');
  const repos = await selectRepos(flags);
  const testCommand = flags.get('test-command') ?? 'npx projen test';
  const stateFile = flags.get('state') ?? 'fleet-state.json';
  const state: Record<string, UpgradeResult> = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf-8')) : {};

  const results = await inPool(repos, jobs(flags), async (repo) => {
    const dir = repo.dir;
    const earlier = state[dir];
    if (earlier?.to === to && earlier.result === 'upgraded') return { ...earlier, detail: 'upgraded by an earlier run' };
    const checkoutError = checkOut(repo, process.env);
    const result: UpgradeResult = checkoutError
      ? { repo: dir, to, filesChanged: 0, tests: 'not run', result: 'failed', detail: checkoutError }
      : await upgradeInChild(dir, to, testCommand);
    state[dir] = result;
    fs.writeFileSync(stateFile, JSON.stringify(state, undefined, 2) + '\n');
    return result;
  });

  console.log(
    table(
      ['repo', 'from', 'to', 'files changed', 'tests', 'result'],
      results.map((result) => [
        result.repo,
        result.from ?? '-',
        result.to,
        String(result.filesChanged),
        result.tests,
        result.detail ? `${result.result} (${result.detail})` : result.result,
      ]),
    ),
  );
  return results.every((result) => result.result === 'upgraded' || result.result === 'already on version') ? 0 : 1;
}

const USAGE = `Usage:
  fleet status REPOS [--jobs N] [--latest VERSION]
  fleet upgrade --to VERSION REPOS [--jobs N] [--test-command "npx projen test"] [--state fleet-state.json]

REPOS is one of:
  --repos FILE          a file with one repo path a line, relative to the file; # starts a comment
  --registry URL        the platform's project registry, such as https://registry-abc123-ew.a.run.app,
    --workspace DIR     with each project checked out at DIR/<name>. An existing folder is used as it
                        is, never fetched or reset.
    [--clone-base URL]  clone a missing folder from URL/<repository>.git, or from the repository itself
                        when it is a path or URL under URL, and run npm ci --ignore-scripts in it.
                        Without it, missing folders fail. fleet runs each repo's code, so name a
                        source that holds only repos you trust, such as https://github.com/acme

The registry token is REGISTRY_TOKEN when it is set, otherwise the output of
  gcloud auth print-identity-token --audiences=URL --include-email

Options:
  --jobs N              repos worked on at once (default 4)
  --latest VERSION      version that status compares with, instead of the newest on the npm registry
  --to VERSION          projen-gcp-app version to upgrade to
  --test-command CMD    command that runs a repo's tests, split on spaces (default "npx projen test")
  --state FILE          JSON file of upgrade results, so that a second run resumes (default fleet-state.json)`;

async function main(argv: string[]): Promise<number> {
  const { command, flags } = parseArguments(argv);
  switch (command) {
    case 'status':
      return status(flags);
    case 'upgrade':
      return upgrade(flags);
    case 'upgrade-one': {
      const result = upgradeRepo(required(flags, 'repo'), {
        to: required(flags, 'to'),
        testCommand: required(flags, 'test-command').split(' '),
        env: process.env,
      });
      console.log(JSON.stringify(result));
      return 0;
    }
    case '--help':
    case 'help':
      console.log(USAGE);
      return 0;
    default:
      throw new FleetError(`Unknown command "${command}".\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof FleetError ? error.message : `fleet failed: ${(error as Error).stack}`);
    process.exit(2);
  },
);
