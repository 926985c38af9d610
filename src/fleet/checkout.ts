import * as fs from 'fs';
import * as path from 'path';
import { errorLine, FleetError, runIn } from './repos';

/** A repo that fleet works on. */
export interface FleetRepo {
  /** Folder of the repo's working tree. */
  readonly dir: string;
  /** Source to clone the repo from when `dir` is missing. Unset for repos from a repos file. */
  readonly cloneFrom?: string;
  /** Reason the registry's repository may not be cloned, reported when `dir` is missing. */
  readonly cloneError?: string;
}

/** Prefixes of a registry `repository` that git can clone as it is. */
const CLONE_URL_PREFIXES = ['https://', 'http://', 'ssh://', 'git@', 'file://'];

/**
 * A repository as deploy builds register it, `owner/name`, or a path below
 * the clone base: segments of letters, digits, `.`, `_` and `-`, none of
 * them `.` or `..`. Percent signs are left out so that `%2e%2e` cannot stand
 * for `..` in a URL.
 */
const REPOSITORY_PATH = /^(?!.*(^|\/)\.{1,2}(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * Returns what to clone for a registry `repository`: `<cloneBase>/<repository>.git`
 * for a path such as Cloud Build's `acme/shop`, or the value itself when it
 * is an absolute path or a URL under `cloneBase`. Any registry client can set
 * a repository, and fleet runs each repo's code, so nothing outside
 * `cloneBase` is cloned. Throws FleetError naming the reason otherwise.
 */
export function cloneSource(repository: string, cloneBase: string): string {
  const base = cloneBase.replace(/\/+$/, '');
  const printable = JSON.stringify(repository);
  if (path.isAbsolute(repository) || CLONE_URL_PREFIXES.some((prefix) => repository.startsWith(prefix))) {
    const below = repository.slice(base.length + 1);
    if (repository.startsWith(`${base}/`) && REPOSITORY_PATH.test(below)) return repository;
    throw new FleetError(
      `repository ${printable} is outside --clone-base ${base}, and fleet clones only from there because any registry client can set a repository. ` +
        'Pass --clone-base with the source you trust.',
    );
  }
  if (!REPOSITORY_PATH.test(repository)) {
    throw new FleetError(`repository ${printable} is not a path such as "acme/shop", so fleet does not clone it.`);
  }
  return `${base}/${repository}.git`;
}

/**
 * Clones a registry repo into its missing folder and installs its
 * dependencies with `npm ci`, which `status` and `upgrade` need to read the
 * installed version. An existing folder is used as it is: never fetched,
 * reset or overwritten. Returns why the checkout failed, or undefined.
 */
export function checkOut(repo: FleetRepo, env: NodeJS.ProcessEnv): string | undefined {
  if (fs.existsSync(repo.dir)) return undefined;
  if (repo.cloneError !== undefined) return repo.cloneError;
  if (repo.cloneFrom === undefined) return undefined;

  const source = withoutPassword(repo.cloneFrom);
  fs.mkdirSync(path.dirname(repo.dir), { recursive: true });
  // Without a terminal prompt, a repo that needs a password fails instead of
  // waiting for input. Any registry client can set a repository, so git may
  // use only plain transports, never a remote helper such as ext::.
  const gitEnv = {
    ...env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_SSH_COMMAND: env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
    GIT_ALLOW_PROTOCOL: 'file:git:http:https:ssh',
  };
  try {
    // "--" keeps a repository value that starts with "-" from being read as an option.
    runIn(path.dirname(repo.dir), 'git', ['clone', '--quiet', '--', repo.cloneFrom, repo.dir], gitEnv);
  } catch (error) {
    // git removes a folder it created when the clone fails.
    return `git clone of ${source} failed: ${errorLine(outputOf(error))}`;
  }

  try {
    // Install scripts would run before anyone looked at the clone; the
    // project type and projen need none.
    runIn(repo.dir, 'npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], env);
  } catch (error) {
    // The clone is fleet's own, so it is removed, and the next run clones and installs again.
    fs.rmSync(repo.dir, { recursive: true, force: true });
    return `npm ci failed in the clone of ${source}, which was removed: ${errorLine(outputOf(error))}`;
  }
  return undefined;
}

/** Replaces the user information of a URL, such as a password, with `***`. */
function withoutPassword(source: string): string {
  return source.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i, '$1***@');
}

/** Returns the command output of a runIn error without its first line, which repeats the command. */
function outputOf(error: unknown): string {
  const message = (error as Error).message;
  return message.slice(message.indexOf('\n') + 1);
}
