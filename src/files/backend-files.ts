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

/** Returns every backend file with its owner, in the manifest's order. */
export function backendFiles(): GeneratedFile[] {
  return readManifest().backend.map(({ path: file, owner, reason }) => ({
    path: `${BACKEND_DIR}/${file}`,
    owner,
    reason,
  }));
}

/** Adds the backend's managed files and the samples the user owns. */
export function addBackendFiles(project: Project, state: ClientState): void {
  for (const { path: file, owner } of readManifest().backend) {
    const target = `${BACKEND_DIR}/${file}`;
    const template = `backend/${file}`;
    if (owner === FileOwner.PLATFORM) {
      new ManagedTemplateFile(project, target, { template });
    } else {
      new OwnedFile(project, target, () => readTemplate(template), state);
    }
  }
}
