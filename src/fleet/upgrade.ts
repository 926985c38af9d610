import * as fs from 'fs';
import { failureLine, FleetError, installedVersion, runIn, uncommittedChanges } from './repos';

/** Outcome of one repo in a fleet upgrade. */
export interface UpgradeResult {
  readonly repo: string;
  readonly from?: string;
  readonly to: string;
  readonly filesChanged: number;
  readonly tests: 'passed' | 'failed' | 'not run';
  readonly result: 'upgraded' | 'already on version' | 'skipped: uncommitted changes' | 'tests failed' | 'failed';
  readonly detail?: string;
}

export interface UpgradeOptions {
  readonly to: string;
  /** Command that runs the repo's tests, split on spaces. */
  readonly testCommand: string[];
  /** Environment of the commands, such as the npm registry to use. */
  readonly env: NodeJS.ProcessEnv;
}

/** Name of the branch an upgrade to `version` is committed on. */
export function upgradeBranch(version: string): string {
  return `upgrade/projen-gcp-app-${version}`;
}

/**
 * Upgrades one client repo on a new branch: install the version, synthesize,
 * run the tests and commit. A repo with uncommitted changes is not touched.
 * When a step fails the repo goes back to its branch with no new commit.
 */
export function upgradeRepo(repo: string, options: UpgradeOptions): UpgradeResult {
  const from = installedVersion(repo);
  const base = { repo, from, to: options.to, filesChanged: 0, tests: 'not run' as const };
  if (!fs.existsSync(repo)) return { ...base, result: 'failed', detail: 'repo not found' };
  if (uncommittedChanges(repo).length > 0) return { ...base, result: 'skipped: uncommitted changes' };
  if (from === options.to) return { ...base, result: 'already on version' };

  const original = runIn(repo, 'git', ['rev-parse', '--abbrev-ref', 'HEAD']).trim();
  const branch = upgradeBranch(options.to);
  runIn(repo, 'git', ['checkout', '--quiet', '-B', branch]);
  /** Puts the repo back on its branch; returns a note when node_modules could not be put back. */
  const restore = (): string => {
    runIn(repo, 'git', ['reset', '--quiet', '--hard']);
    runIn(repo, 'git', ['clean', '--quiet', '-fd']);
    runIn(repo, 'git', ['checkout', '--quiet', original]);
    runIn(repo, 'git', ['branch', '--quiet', '-D', branch]);
    // node_modules is ignored by git, so it is put back to the lockfile's versions.
    try {
      runIn(repo, 'npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], options.env);
      return '';
    } catch {
      return '; node_modules not restored, run npm ci';
    }
  };

  try {
    runIn(repo, 'npm', ['install', '--save-dev', '--ignore-scripts', '--no-audit', '--no-fund', `projen-gcp-app@${options.to}`], options.env);
    runIn(repo, 'npx', ['projen'], options.env);
  } catch (error) {
    const note = restore();
    return { ...base, result: 'failed', detail: failureLine(error) + note };
  }
  const filesChanged = uncommittedChanges(repo).length;

  try {
    runIn(repo, options.testCommand[0], options.testCommand.slice(1), options.env);
  } catch (error) {
    const note = restore();
    return { ...base, filesChanged, tests: 'failed', result: 'tests failed', detail: failureLine(error) + note };
  }

  runIn(repo, 'git', ['add', '-A']);
  runIn(repo, 'git', ['commit', '--quiet', '-m', `Upgrade projen-gcp-app to ${options.to}`, '-m', `From ${from ?? 'an unknown version'}, by the fleet command.`]);
  return { ...base, filesChanged, tests: 'passed', result: 'upgraded' };
}

export { FleetError };
