import type { Project } from 'projen';
import type { ClientState } from './client-state';
import { FileOwner, readManifest } from './manifest';
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

function placedTemplates(): PlacedTemplate[] {
  const manifest = readManifest();
  return [
    ...manifest.repo.map((entry) => ({ ...entry, template: entry.path })),
    ...manifest.backend.map((entry) => ({
      ...entry,
      path: `${BACKEND_DIR}/${entry.path}`,
      template: `${BACKEND_DIR}/${entry.path}`,
    })),
  ];
}

/** Returns every file copied from the package's templates, with its owner, in the manifest's order. */
export function templateFiles(): GeneratedFile[] {
  return placedTemplates().map(({ path, owner, reason }) => ({ path, owner, reason }));
}

/** Adds the managed template files and the owned ones. */
export function addTemplateFiles(project: Project, state: ClientState): void {
  for (const { path, owner, template } of placedTemplates()) {
    if (owner === FileOwner.PLATFORM) {
      new ManagedTemplateFile(project, path, { template });
    } else {
      new OwnedFile(project, path, () => readTemplate(template), state);
    }
  }
}
