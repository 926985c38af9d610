import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { failureLine, installedVersion, runIn, uncommittedChanges } from './repos';

/** Report of `fleet status` for one repo. */
export interface RepoStatus {
  readonly repo: string;
  readonly version?: string;
  readonly behind: boolean;
  readonly uncommitted: number;
  /** Managed files whose committed content differs from what synth writes: hand edits. */
  readonly drift: string[];
  readonly error?: string;
}

/**
 * Reports a repo's version and drift. Drift is found by synthesizing the
 * committed tree in a temporary git worktree, so the repo itself is not
 * touched.
 */
export function repoStatus(repo: string, latest: string | undefined, env: NodeJS.ProcessEnv): RepoStatus {
  const version = installedVersion(repo);
  const base = { repo, version, behind: latest !== undefined && version !== latest, uncommitted: 0, drift: [] as string[] };
  if (!fs.existsSync(path.join(repo, '.git'))) return { ...base, error: 'not a git repository' };

  const worktree = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-status-'));
  try {
    runIn(repo, 'git', ['worktree', 'add', '--quiet', '--detach', worktree]);
    fs.symlinkSync(path.join(repo, 'node_modules'), path.join(worktree, 'node_modules'));
    runIn(worktree, 'npx', ['projen'], { ...env, PROJEN_DISABLE_POST: 'true' });
    fs.rmSync(path.join(worktree, 'node_modules'));
    const drift = uncommittedChanges(worktree).map((line) => line.slice(3));
    return { ...base, uncommitted: uncommittedChanges(repo).length, drift };
  } catch (error) {
    return { ...base, error: failureLine(error) };
  } finally {
    runIn(repo, 'git', ['worktree', 'remove', '--force', worktree]);
    fs.rmSync(worktree, { recursive: true, force: true });
  }
}
