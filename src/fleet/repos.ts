import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Reads a repos file: one path a line, relative to the file; `#` starts a comment. */
export function readReposFile(file: string): string[] {
  if (!fs.existsSync(file)) throw new FleetError(`Repos file not found: ${file}. Write one repo path a line.`);
  return fs
    .readFileSync(file, 'utf-8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => path.resolve(path.dirname(file), line));
}

/** An error the fleet command reports as one line, without a stack trace. */
export class FleetError extends Error {}

/** Runs a command in a repo and returns its output; throws with the output when it fails. */
export function runIn(dir: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(command, args, { cwd: dir, encoding: 'utf-8', stdio: 'pipe', env });
  } catch (error: any) {
    throw new FleetError(`${command} ${args.join(' ')} failed in ${dir}:\n${[error.stdout, error.stderr].filter(Boolean).join('\n')}`);
  }
}

/** Paths with uncommitted changes, from `git status --porcelain`. */
export function uncommittedChanges(dir: string): string[] {
  return runIn(dir, 'git', ['status', '--porcelain', '--untracked-files=all']).split('\n').filter(Boolean);
}

/** The projen-gcp-app version installed in a client repo, or undefined when it is not installed. */
export function installedVersion(dir: string): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'projen-gcp-app', 'package.json'), 'utf-8')).version;
  } catch {
    return undefined;
  }
}

/**
 * Picks the line of a command's output that names its error, for a one-line
 * report: the first with "error" or "fatal" (as git and npm print them),
 * otherwise the last line.
 */
export function errorLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.find((line) => /\b(error|fatal)\b/i.test(line)) ?? lines[lines.length - 1] ?? 'no output';
}

/**
 * Returns one line for a failed command: its first line, which names the
 * command and folder, then the line of its output that gives the reason.
 */
export function failureLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const [first, ...rest] = message.split('\n');
  return rest.some((line) => line.trim()) ? `${first} ${errorLine(rest.join('\n'))}` : first;
}
