import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Root of the installed Cloud SDK, or undefined when gcloud is not installed. */
export function cloudSdkRoot(): string | undefined {
  let gcloud: string;
  try {
    gcloud = execFileSync('which', ['gcloud'], { encoding: 'utf-8' }).trim();
  } catch {
    return undefined;
  }
  return path.resolve(fs.realpathSync(gcloud), '..', '..');
}

const CHECK_SCRIPT = `
import sys
from googlecloudsdk.api_lib.cloudbuild import cloudbuild_util, config
build = config.LoadCloudbuildConfigFromPath(sys.argv[1], cloudbuild_util.GetMessagesModule())
print(len(build.steps))
`;

/**
 * Loads a cloudbuild.yaml with gcloud's own parser and returns the number of
 * steps it read. Throws with gcloud's message when the file is invalid.
 */
export function loadWithGcloud(sdkRoot: string, file: string): number {
  const bundled = path.join(sdkRoot, 'platform', 'bundledpythonunix', 'bin', 'python3');
  const python = fs.existsSync(bundled) ? bundled : 'python3';
  const output = execFileSync(python, ['-c', CHECK_SCRIPT, file], {
    encoding: 'utf-8',
    env: {
      ...process.env,
      PYTHONPATH: [path.join(sdkRoot, 'lib'), path.join(sdkRoot, 'lib', 'third_party')].join(path.delimiter),
    },
  });
  return Number(output.trim());
}
