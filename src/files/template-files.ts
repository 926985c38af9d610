import type { Project } from 'projen';
import type { ClientState } from './client-state';
import { FileOwner, readManifest, type TemplateEntry } from './manifest';
import { OwnedFile } from './owned-file';
import { ManagedTemplateFile, readTemplate } from './template-file';

export interface GeneratedFile {
  /** Path in the client repo. */
  readonly path: string;
  readonly owner: FileOwner;
  /** Reason for the owner, shown in the client's docs/platform.md. */
  readonly reason: string;
}

/** Folder of the backend in the client repo. */
export const BACKEND_DIR = 'backend';

/** A template file with its path in the package and in the client repo. */
interface PlacedTemplate extends GeneratedFile {
  readonly template: string;
}

/** Folder of the frontend in the client repo. */
export const FRONTEND_DIR = 'frontend';

function placedTemplates(withFrontend: boolean): PlacedTemplate[] {
  const manifest = readManifest();
  const inFolder = (folder: string) => (entry: TemplateEntry) => ({
    ...entry,
    path: `${folder}/${entry.path}`,
    template: `${folder}/${entry.path}`,
  });
  return [
    ...manifest.repo
      .filter((entry) => withFrontend || !entry.path.startsWith('scripts/frontend'))
      .map((entry) => ({ ...entry, template: entry.path })),
    ...manifest.backend.map(inFolder(BACKEND_DIR)),
    ...(withFrontend ? manifest.frontend.map(inFolder(FRONTEND_DIR)) : []),
  ];
}

/** Returns every file copied from the package's templates, with its owner, in the manifest's order. */
export function templateFiles(withFrontend: boolean): GeneratedFile[] {
  return placedTemplates(withFrontend).map(({ path, owner, reason }) => ({ path, owner, reason }));
}

/** Adds the managed template files and the owned ones. */
export function addTemplateFiles(project: Project, state: ClientState, withFrontend: boolean): void {
  for (const { path, owner, template } of placedTemplates(withFrontend)) {
    if (owner === FileOwner.PLATFORM) {
      new ManagedTemplateFile(project, path, { template });
    } else {
      new OwnedFile(project, path, () => readTemplate(template), state);
    }
  }
}
