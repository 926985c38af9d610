import type { PlatformConfig } from './platform-config';
import type { PlatformRegistryOptions } from './registry-options';
import { type ResolvedApp, resolveOptions } from '../options/defaults';
import type { OptionProblem } from '../options/validate';
import { INVOKER, REGION } from '../options/validate-access';

/** Folder of the registry's backend in the platform repo. */
export const REGISTRY_DIR = 'registry';
/** Name of the registry's Cloud Run service, and of its Terraform root module. */
export const REGISTRY_NAME = 'registry';

const ADMIN = /^(user|serviceAccount):[^\s@,:]+@[^\s@,]+\.[^\s@,]+$/;

/** Terraform name of the data source that reads the platform project's number. */
const PROJECT_DATA = 'data.google_project.registry';

/**
 * Returns the registry's deterministic URL, `https://SERVICE-NUMBER.REGION.run.app`,
 * as a Terraform expression. The service checks that tokens name it as their
 * audience, so a request's Host header cannot choose the audience.
 */
function registryUrl(config: PlatformConfig): string {
  return `https://${REGISTRY_NAME}-\${${PROJECT_DATA}.number}.${config.regions[0]}.run.app`;
}

/**
 * Returns the overrides that complete the registry's Terraform: the project
 * number its URL needs, and that URL as the output client repos read.
 */
export function registryOverrides(config: PlatformConfig): Array<[string, unknown]> {
  return [
    [PROJECT_DATA, { project_id: config.projectId }],
    ['output.registry_url.value', registryUrl(config)],
    ['output.registry_url.description', 'URL of the registry, the audience of its identity tokens.'],
  ];
}

/** Returns the email of a `user:` or `serviceAccount:` member. */
function memberEmail(member: string): string {
  return member.slice(member.indexOf(':') + 1);
}

/**
 * Describes the registry as a client app with one environment and one
 * service, so that the client repos' constructs build its Terraform and
 * `cloudbuild.yaml`. Returns undefined when the registry is turned off.
 */
export function registryApp(config: PlatformConfig, options: PlatformRegistryOptions = {}): ResolvedApp | undefined {
  if (options.enabled === false) return undefined;
  const admins = options.admins ?? [];
  return resolveOptions({
    name: config.name,
    region: config.regions[0],
    stateBucket: config.stateBucket,
    networkProjectId: config.projectId,
    networkName: config.networkName,
    connectorName: config.connectorName,
    databaseName: 'registry',
    // The platform stack's shared repository has another name in the same project.
    artifactRepository: `${REGISTRY_NAME}-images`,
    buildConnection: config.buildConnection?.name ?? 'github',
    buildRepository: config.name,
    services: [
      {
        name: REGISTRY_NAME,
        invokers: [...(options.clients ?? []), ...(options.readers ?? []), ...admins],
        env: {
          REGISTRY_AUDIENCE: registryUrl(config),
          ...(admins.length > 0 ? { REGISTRY_ADMINS: admins.map(memberEmail).join(',') } : {}),
        },
      },
    ],
    environments: [
      {
        name: REGISTRY_NAME,
        projectId: config.projectId,
        production: options.production ?? true,
        deployBranch: options.deployBranch,
        deployTag: options.deployTag,
      },
    ],
  });
}

/** Returns the problems of the registry options, named as the user wrote them. */
export function registryProblems(config: PlatformConfig, options: PlatformRegistryOptions = {}): OptionProblem[] {
  const problems: OptionProblem[] = [];
  for (const list of ['clients', 'readers'] as const) {
    (options[list] ?? []).forEach((member, index) => {
      if (!INVOKER.test(member)) {
        problems.push({
          option: `registry.${list}[${index}]`,
          value: member,
          allowed: 'an IAM principal such as "serviceAccount:EMAIL", "group:EMAIL", "user:EMAIL" or "domain:DOMAIN"',
          fix: 'prefix the email with its principal type; the registry is never public',
        });
      }
    });
  }
  (options.admins ?? []).forEach((member, index) => {
    if (!ADMIN.test(member)) {
      problems.push({
        option: `registry.admins[${index}]`,
        value: member,
        allowed: 'a "user:EMAIL" or "serviceAccount:EMAIL" principal, because the registry checks the email in its token',
        fix: 'write "user:alice@acme.com"; a group cannot be an admin',
      });
    }
  });
  if (options.deployBranch !== undefined && options.deployTag !== undefined) {
    problems.push({
      option: 'registry.deployTag',
      value: options.deployTag,
      allowed: 'either deployBranch or deployTag, not both',
      fix: 'remove one of them',
    });
  }
  const connection = config.buildConnection;
  // An invalid region is reported by the connection's own check.
  if (options.enabled !== false && connection && REGION.test(connection.region) && connection.region !== config.regions[0]) {
    problems.push({
      option: 'buildConnection.region',
      value: connection.region,
      allowed: `the registry's region, the first of regions ("${config.regions[0]}"), because a trigger uses a connection in its own region`,
      fix: 'remove buildConnection.region, or list its region first in regions',
    });
  }
  if (options.enabled !== false && connection && !connection.repositories.some((repository) => repository.name === config.name)) {
    problems.push({
      option: 'buildConnection.repositories',
      value: connection.repositories.map((repository) => repository.name),
      allowed: `a repository named "${config.name}", this platform repo, because the registry's deploy trigger builds it`,
      fix: `add { name: "${config.name}", remoteUri: "https://github.com/OWNER/${config.name}.git" }`,
    });
  }
  return problems;
}
