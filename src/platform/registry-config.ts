import type { PlatformConfig } from './platform-config';
import type { PlatformRegistryOptions } from './registry-options';
import { type ResolvedApp, resolveOptions } from '../options/defaults';
import type { OptionProblem } from '../options/validate';

/** Folder of the registry's backend in the platform repo. */
export const REGISTRY_DIR = 'registry';
/** Name of the registry's Cloud Run service, and of its Terraform root module. */
export const REGISTRY_NAME = 'registry';

const INVOKER = /^(user|serviceAccount|group|domain|principal|principalSet):[^\s]+$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const EMAIL = /^[^\s@,:]+@[^\s@,]+\.[^\s@,]+$/;

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
        invokers: [...(options.clients ?? []), ...(options.readers ?? [])],
        env: admins.length > 0 ? { REGISTRY_ADMINS: admins.join(',') } : {},
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
  (options.admins ?? []).forEach((email, index) => {
    if (!EMAIL.test(email)) {
      problems.push({
        option: `registry.admins[${index}]`,
        value: email,
        allowed: 'an email address without a principal prefix',
        fix: 'write "alice@acme.com", not "user:alice@acme.com"',
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
  return problems;
}
