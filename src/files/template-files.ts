import type { Project } from 'projen';
import type { ClientState } from './client-state';
import { FileOwner, readManifest, type TemplateEntry } from './manifest';
import { OwnedFile } from './owned-file';
import { ManagedTemplateFile, readTemplate } from './template-file';
import type { ResolvedApp } from '../options/defaults';

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

/** The optional parts of a client repo whose files are written. */
export interface TemplateSelection {
  readonly frontend: boolean;
  /** Whether the repo records deploys in a platform's registry. */
  readonly platform: boolean;
}

/** Repo files that belong to an optional part, by path prefix. */
const OPTIONAL_REPO_FILES: Array<[string, keyof TemplateSelection]> = [
  ['scripts/frontend', 'frontend'],
  ['scripts/register-deploy', 'platform'],
];

function placedTemplates(selection: TemplateSelection): PlacedTemplate[] {
  const manifest = readManifest();
  const inFolder = (folder: string) => (entry: TemplateEntry) => ({
    ...entry,
    path: `${folder}/${entry.path}`,
    template: `${folder}/${entry.path}`,
  });
  return [
    ...manifest.repo
      .filter((entry) =>
        OPTIONAL_REPO_FILES.every(([prefix, part]) => selection[part] || !entry.path.startsWith(prefix)),
      )
      .map((entry) => ({ ...entry, template: entry.path })),
    ...manifest.backend.map(inFolder(BACKEND_DIR)),
    ...(selection.frontend ? manifest.frontend.map(inFolder(FRONTEND_DIR)) : []),
  ];
}

/** Returns the optional parts the app's options turn on. */
export function templateSelection(app: ResolvedApp): TemplateSelection {
  return { frontend: app.frontend !== undefined, platform: app.platform !== undefined };
}

/** Returns every file copied from the package's templates, with its owner, in the manifest's order. */
export function templateFiles(selection: TemplateSelection): GeneratedFile[] {
  return placedTemplates(selection).map(({ path, owner, reason }) => ({ path, owner, reason }));
}

/** Scripts of the repo root that the registry's tasks run. */
const REGISTRY_SCRIPTS = ['scripts/backend.sh', 'scripts/local-postgres.sh'];

/**
 * Adds the platform repo's registry API: the backend's platform files and
 * the registry's own models, routes, migrations and tests, all managed,
 * because the registry's schema is part of the package. Also adds the
 * scripts its tasks run.
 */
export function addRegistryFiles(project: Project, folder: string): void {
  const manifest = readManifest();
  const scripts = manifest.repo
    .filter((entry) => REGISTRY_SCRIPTS.includes(entry.path))
    .map((entry) => ({ path: entry.path, template: entry.path }));
  const service = [
    ...manifest.backend
      .filter((entry) => entry.owner === FileOwner.PLATFORM)
      .map((entry) => ({ path: `${folder}/${entry.path}`, template: `${BACKEND_DIR}/${entry.path}` })),
    ...manifest.registry.map((entry) => ({ path: `${folder}/${entry.path}`, template: `registry/${entry.path}` })),
  ];
  for (const { path, template } of [...scripts, ...service]) {
    new ManagedTemplateFile(project, path, { template });
  }
}

/** Adds the managed template files and the owned ones. */
export function addTemplateFiles(project: Project, state: ClientState, selection: TemplateSelection): void {
  for (const { path, owner, template } of placedTemplates(selection)) {
    if (owner === FileOwner.PLATFORM) {
      new ManagedTemplateFile(project, path, { template });
    } else {
      new OwnedFile(project, path, () => readTemplate(template), state);
    }
  }
}
