import * as fs from 'fs';
import * as path from 'path';
import { TEMPLATES_DIR } from './template-file';

/** Owner of a generated file after the first synth. */
export enum FileOwner {
  /** Rewritten from the package on every synth; edits are undone. */
  PLATFORM = 'platform',
  /** Written once when missing; never touched again. */
  USER = 'user',
}

/** A template file and its owner. */
export interface TemplateEntry {
  readonly path: string;
  readonly owner: FileOwner;
  /** Reason for the owner, shown in the client's docs/platform.md. */
  readonly reason: string;
}

/**
 * A change a new version of the package needs in a file the user owns. The
 * package never edits those files, so synth prints the change instead.
 */
export interface OwnedFileNotice {
  /** Stable ID, recorded once the notice was shown. */
  readonly id: string;
  /** Path in the client repo. */
  readonly file: string;
  /** Text the file contains once the change is made; the notice is shown only while it is missing. */
  readonly expect: string;
  /** Description of the change and its reason. */
  readonly message: string;
}

/**
 * The list of template files and notices shipped with the package. It is
 * data, so a release changes which files exist by editing one file.
 */
export interface TemplateManifest {
  /** Files relative to `templates/` and to the client repo's root. */
  readonly repo: TemplateEntry[];
  /** Files relative to `templates/backend` and to the client's `backend/`. */
  readonly backend: TemplateEntry[];
  /** Files relative to `templates/registry` that the platform repo's registry adds to the backend's platform files. */
  readonly registry: TemplateEntry[];
  /** Files relative to `templates/frontend` and to the client's `frontend/`, for repos with a frontend. */
  readonly frontend: TemplateEntry[];
  readonly notices: OwnedFileNotice[];
}

/** Reads `templates/manifest.json` from the package. */
export function readManifest(): TemplateManifest {
  return JSON.parse(fs.readFileSync(path.join(TEMPLATES_DIR, 'manifest.json'), 'utf-8'));
}
