import { BACKEND_FILES, FileOwner, type GeneratedFile } from './backend-files';
import { readTemplate } from './template-file';
import { infraDir } from './terraform-file';
import type { ResolvedApp } from '../options/defaults';
import { runtimeAccountId } from '../options/names';

/** Files outside the backend, with their owner. */
function repoFiles(app: ResolvedApp): GeneratedFile[] {
  return [
    { path: '.projenrc.ts', owner: FileOwner.USER, reason: 'the one declaration of this repo' },
    ...app.environments.map((environment) => ({
      path: `${infraDir(environment.name)}/main.tf.json`,
      owner: FileOwner.PLATFORM,
      reason: `Terraform of ${environment.name}; change it through options or addTerraformOverride`,
    })),
    { path: 'cloudbuild.yaml', owner: FileOwner.PLATFORM, reason: 'build, migrate, deploy' },
    { path: 'docker-compose.yml', owner: FileOwner.PLATFORM, reason: 'local PostgreSQL and backend' },
    { path: 'README.md', owner: FileOwner.USER, reason: 'your documentation' },
  ];
}

/** Renders the first README of a client repo; the user owns it afterwards. */
export function renderClientReadme(app: ResolvedApp): string {
  const rows = [...repoFiles(app), ...BACKEND_FILES].map(
    (file) =>
      `| \`${file.path}\` | ${file.owner === FileOwner.PLATFORM ? 'managed' : 'yours'} | ${file.reason} |`,
  );
  const environments = app.environments.map(
    (environment) =>
      `| ${environment.name} | \`${environment.projectId}\` | ${environment.region} | \`${infraDir(environment.name)}\` |`,
  );

  const services = app.services.map(
    (service) => `| ${service.name} | ${service.database} | \`${runtimeAccountId(service)}\` |`,
  );

  return readTemplate('client/README.md')
    .replace(/\{\{name\}\}/g, app.name)
    .replace('{{services}}', services.join('\n'))
    .replace('{{environments}}', environments.join('\n'))
    .replace('{{files}}', rows.join('\n'));
}
