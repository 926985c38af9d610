import * as fs from 'fs';
import * as path from 'path';
import { run } from './process';

/**
 * Unpacks the package tarball into `dir` as version `version`, ready to
 * publish. `change` edits the unpacked files, the way a release would change
 * templates.
 */
export function prepareVersion(tarball: string, dir: string, version: string, change: (packageDir: string) => void = () => {}): string {
  fs.mkdirSync(dir, { recursive: true });
  run('tar', ['--extract', '--gzip', '--file', tarball, '--directory', dir]);
  const packageDir = path.join(dir, 'package');
  run('npm', ['version', version, '--no-git-tag-version', '--allow-same-version'], { cwd: packageDir });
  change(packageDir);
  return packageDir;
}

/** Reads and rewrites the template manifest of an unpacked package. */
export function editManifest(packageDir: string, edit: (manifest: any) => void): void {
  const file = path.join(packageDir, 'templates', 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf-8'));
  edit(manifest);
  fs.writeFileSync(file, JSON.stringify(manifest, undefined, 2) + '\n');
}
