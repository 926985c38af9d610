import { FileOwner } from './manifest';
import { fillTemplate, readTemplate } from './template-file';
import { type GeneratedFile, templateFiles, templateSelection } from './template-files';
import { infraDir } from './terraform-file';
import type { ResolvedApp } from '../options/defaults';
import { buildAccountEmail, runtimeAccountId } from '../options/names';

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
    { path: 'docs/platform.md', owner: FileOwner.PLATFORM, reason: 'this list, kept current' },
  ];
}

/** Renders the first README of a client repo; the user owns it afterwards. */
export function renderClientReadme(app: ResolvedApp): string {
  return fillTemplate(readTemplate('client/README.md'), { name: app.name });
}

/** Says whether deploys register, and which build accounts the platform must let in. */
function registryText(app: ResolvedApp): string {
  if (!app.platform) {
    return 'Deploys are not registered: `.projenrc.ts` names no `platform`.';
  }
  const members = app.environments.map(
    (environment) =>
      `- ${environment.name}: \`serviceAccount:${buildAccountEmail(environment)}\``,
  );
  return [
    `Network, connectors and the registry's URL come from the Terraform state of the platform repo \`${app.platform.name}\`,`,
    `in bucket \`${app.platform.stateBucket}\`. The last step of every deploy build records the deploy in`,
    "the platform's registry. The platform team lists these build accounts in the registry's `clients`,",
    'directly or through a group; until then the step fails and the deploy itself still succeeds:',
    '',
    ...members,
  ].join('\n');
}

/** Values of `docs/platform.md`, which lists services, environments and files. */
export function platformDocValues(app: ResolvedApp): Record<string, string> {
  const rows = [...repoFiles(app), ...templateFiles(templateSelection(app))].map(
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

  return {
    name: app.name,
    registry: registryText(app),
    services: services.join('\n'),
    environments: environments.join('\n'),
    files: rows.join('\n'),
  };
}
