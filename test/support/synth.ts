import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Project } from 'projen';
import { parse as parseYaml } from 'yaml';
import { GcpAppProject, type GcpAppProjectOptions } from '../../src';

export type ClientOptions = Omit<GcpAppProjectOptions, 'name' | 'region'> & {
  readonly name?: string;
  readonly region?: string;
};

/** A client repo synthesized in a temporary directory. */
export interface SynthesizedClient {
  readonly dir: string;
  readonly project: GcpAppProject;
  text(file: string): string;
  json(file: string): any;
  yaml(file: string): any;
  exists(file: string): boolean;
}

const createdDirectories: string[] = [];
afterAll(() => {
  for (const dir of createdDirectories) fs.rmSync(dir, { recursive: true, force: true });
});

/** Creates a temporary directory that is removed when the test file ends. */
export function temporaryDirectory(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  createdDirectories.push(dir);
  return dir;
}

/**
 * Synthesizes a project without projen's post-synth step, which installs npm
 * packages (with `npm ci` when CI is set); these tests read only the files
 * synth writes.
 */
export function synthWithoutInstall(project: Project): void {
  const disablePost = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    project.synth();
  } finally {
    if (disablePost === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = disablePost;
  }
}

/**
 * Synthesizes a client repo with the given options. `configure` runs between
 * construction and synth, as the user's `.projenrc.ts` would.
 */
export function synthClient(
  options: ClientOptions = {},
  configure: (project: GcpAppProject) => void = () => {},
  dir: string = temporaryDirectory('gcp-app'),
): SynthesizedClient {
  const project = new GcpAppProject({
    name: 'orders',
    region: 'europe-west1',
    ...options,
    outdir: dir,
  } as GcpAppProjectOptions);
  configure(project);
  synthWithoutInstall(project);

  const text = (file: string) => fs.readFileSync(path.join(dir, file), 'utf-8');
  return {
    dir,
    project,
    text,
    json: (file) => JSON.parse(text(file)),
    yaml: (file) => parseYaml(text(file)),
    exists: (file) => fs.existsSync(path.join(dir, file)),
  };
}
