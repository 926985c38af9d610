import type { PlatformBuildRepository } from './build-connection-options';
import type { GcpPlatformProjectOptions } from './gcp-platform-project-options';
import { InvalidOptionsError, type OptionProblem } from '../options/validate';
import { REGION } from '../options/validate-access';

/** Platform options after defaults apply. */
export interface PlatformConfig {
  readonly name: string;
  readonly projectId: string;
  readonly regions: string[];
  readonly createNetwork: boolean;
  readonly networkName: string;
  readonly connectorName: string;
  readonly connectorRanges: Record<string, string>;
  readonly connectorMachineType: string;
  readonly connectorMinInstances: number;
  readonly connectorMaxInstances: number;
  readonly privateServicesPrefixLength: number;
  readonly artifactRepository: string;
  readonly stateBucket: string;
  readonly buildConnection?: PlatformBuildConnectionConfig;
}

/** The platform's Cloud Build connection after defaults apply. */
export interface PlatformBuildConnectionConfig {
  readonly name: string;
  readonly region: string;
  readonly githubAppInstallationId: number;
  readonly oauthTokenSecretVersion: string;
  readonly repositories: PlatformBuildRepository[];
}

export function resolvePlatform(options: GcpPlatformProjectOptions): PlatformConfig {
  const regions = options.regions ?? ['europe-west1'];
  return {
    name: options.name,
    projectId: options.projectId,
    regions,
    createNetwork: options.createNetwork ?? true,
    networkName: options.networkName ?? 'platform',
    connectorName: options.connectorName ?? 'platform-connector',
    connectorRanges: Object.fromEntries(
      regions.map((region, index) => [region, options.connectorRanges?.[region] ?? `10.8.0.${index * 16}/28`]),
    ),
    connectorMachineType: options.connectorMachineType ?? 'e2-micro',
    connectorMinInstances: options.connectorMinInstances ?? 2,
    connectorMaxInstances: options.connectorMaxInstances ?? 3,
    privateServicesPrefixLength: options.privateServicesPrefixLength ?? 16,
    artifactRepository: options.artifactRepository ?? 'shared-images',
    stateBucket: options.stateBucket ?? `${options.projectId}-tfstate`,
    buildConnection: options.buildConnection && {
      name: options.buildConnection.name ?? 'github',
      region: options.buildConnection.region ?? regions[0],
      githubAppInstallationId: options.buildConnection.githubAppInstallationId,
      oauthTokenSecretVersion: options.buildConnection.oauthTokenSecretVersion,
      repositories: options.buildConnection.repositories ?? [],
    },
  };
}

/**
 * Returns the Terraform name of a linked repository's resource. Names that
 * differ only in case, ".", "-" or "_" get the same Terraform name, so
 * validation rejects them.
 */
export function repositoryTerraformId(name: string): string {
  return `repository_${name.toLowerCase().replace(/[.-]/g, '_')}`;
}

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const RESOURCE_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const RANGE_28 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/28$/;
/** Serverless VPC Access limits connector names to 25 characters. */
const MAX_CONNECTOR_NAME = 25;
/** Serverless VPC Access allows at most 10 instances a connector. */
const MAX_CONNECTOR_INSTANCES = 10;
/** Maximum length of a Cloud Build connection name, the same limit client repos check. */
const MAX_BUILD_CONNECTION_NAME = 63;
const BUILD_REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;
/** The project is given by ID or number, and the version by number or as `latest`. */
const SECRET_VERSION = /^projects\/([a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]+)\/secrets\/[A-Za-z0-9_-]{1,255}\/versions\/([1-9][0-9]*|latest)$/;
/** A `github_config` connection reaches github.com only. */
const GITHUB_REMOTE_URI = /^https:\/\/github\.com\/[A-Za-z0-9-]+\/[A-Za-z0-9._-]+\.git$/;

function isRange28(range: string): boolean {
  const match = RANGE_28.exec(range);
  if (!match) return false;
  const octets = match.slice(1, 5).map(Number);
  return octets.every((octet) => octet <= 255) && octets[3] % 16 === 0;
}

/** Checks the platform options and throws one error listing every problem. */
export function validatePlatform(config: PlatformConfig, otherProblems: OptionProblem[] = []): void {
  const problems: OptionProblem[] = [];
  const check = (ok: boolean, problem: OptionProblem) => {
    if (!ok) problems.push(problem);
  };

  check(PROJECT_ID.test(config.projectId), {
    option: 'projectId',
    value: config.projectId,
    allowed: '6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
    fix: 'copy the ID of the project that owns the shared network',
  });
  check(config.regions.length > 0 && new Set(config.regions).size === config.regions.length, {
    option: 'regions',
    value: config.regions,
    allowed: 'one or more regions, each once',
    fix: 'list each region that runs client services once',
  });
  for (const region of config.regions) {
    check(REGION.test(region), {
      option: 'regions',
      value: region,
      allowed: 'Google Cloud region names such as "europe-west1"',
      fix: 'fix the region name',
    });
    check(isRange28(config.connectorRanges[region]), {
      option: `connectorRanges.${region}`,
      value: config.connectorRanges[region],
      allowed: 'an IPv4 /28 range whose last octet is a multiple of 16, such as "10.8.0.16/28"',
      fix: 'give each region a free /28 range of the network',
    });
  }
  const ranges = Object.values(config.connectorRanges);
  check(new Set(ranges).size === ranges.length, {
    option: 'connectorRanges',
    value: config.connectorRanges,
    allowed: 'a different range for each region',
    fix: 'give each region its own /28',
  });
  check(RESOURCE_NAME.test(config.connectorName) && config.connectorName.length <= MAX_CONNECTOR_NAME, {
    option: 'connectorName',
    value: config.connectorName,
    allowed: `lowercase letters, digits and hyphens, starting with a letter, at most ${MAX_CONNECTOR_NAME} characters`,
    fix: 'use a name such as "platform-connector"',
  });
  check(Number.isInteger(config.connectorMinInstances) && config.connectorMinInstances >= 2, {
    option: 'connectorMinInstances',
    value: config.connectorMinInstances,
    allowed: 'a whole number of at least 2',
    fix: 'use 2',
  });
  check(
    Number.isInteger(config.connectorMaxInstances) &&
      config.connectorMaxInstances > config.connectorMinInstances &&
      config.connectorMaxInstances <= MAX_CONNECTOR_INSTANCES,
    {
      option: 'connectorMaxInstances',
      value: config.connectorMaxInstances,
      allowed: `a whole number above connectorMinInstances (${config.connectorMinInstances}) and at most ${MAX_CONNECTOR_INSTANCES}`,
      fix: 'use 3, or up to 10 for heavy traffic',
    },
  );
  check(RESOURCE_NAME.test(config.networkName), {
    option: 'networkName',
    value: config.networkName,
    allowed: 'lowercase letters, digits and hyphens, starting with a letter',
    fix: 'use a name such as "platform"',
  });
  check(
    Number.isInteger(config.privateServicesPrefixLength) && config.privateServicesPrefixLength >= 8 && config.privateServicesPrefixLength <= 24,
    {
      option: 'privateServicesPrefixLength',
      value: config.privateServicesPrefixLength,
      allowed: 'a whole number from 8 to 24',
      fix: 'use 16',
    },
  );
  if (config.buildConnection) validateBuildConnection(config.buildConnection, check);
  problems.push(...otherProblems);
  if (problems.length > 0) throw new InvalidOptionsError(problems, 'projen-gcp-app platform');
}

function validateBuildConnection(
  connection: PlatformBuildConnectionConfig,
  check: (ok: boolean, problem: OptionProblem) => void,
): void {
  check(RESOURCE_NAME.test(connection.name) && connection.name.length <= MAX_BUILD_CONNECTION_NAME, {
    option: 'buildConnection.name',
    value: connection.name,
    allowed: `lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, at most ${MAX_BUILD_CONNECTION_NAME} characters`,
    fix: 'use a name such as "github"',
  });
  check(REGION.test(connection.region), {
    option: 'buildConnection.region',
    value: connection.region,
    allowed: 'a Google Cloud region name such as "europe-west1", because a connection cannot be global',
    fix: 'use the region where the platform runs its builds',
  });
  check(Number.isSafeInteger(connection.githubAppInstallationId) && connection.githubAppInstallationId > 0, {
    option: 'buildConnection.githubAppInstallationId',
    value: connection.githubAppInstallationId,
    allowed: 'a positive whole number',
    fix: 'copy the number at the end of the Google Cloud Build app\'s settings URL on GitHub, ".../settings/installations/<ID>"',
  });
  check(SECRET_VERSION.test(connection.oauthTokenSecretVersion), {
    option: 'buildConnection.oauthTokenSecretVersion',
    value: connection.oauthTokenSecretVersion,
    allowed: '"projects/<project ID or number>/secrets/<secret>/versions/<number or latest>"',
    fix: 'store the GitHub OAuth token in Secret Manager and give the full name of its version',
  });

  const terraformIds = connection.repositories.map((repository) => repositoryTerraformId(repository.name));
  const remoteUris = connection.repositories.map((repository) => repository.remoteUri.toLowerCase());
  connection.repositories.forEach((repository, index) => {
    check(BUILD_REPOSITORY.test(repository.name) && terraformIds.indexOf(terraformIds[index]) === index, {
      option: `buildConnection.repositories[${index}].name`,
      value: repository.name,
      allowed: 'letters, digits, ".", "_" and "-", at most 100 characters, each name once, where names that differ only in case or in ".", "-" and "_" count as the same',
      fix: 'name each repository once, such as after its GitHub repository',
    });
    check(GITHUB_REMOTE_URI.test(repository.remoteUri) && remoteUris.indexOf(remoteUris[index]) === index, {
      option: `buildConnection.repositories[${index}].remoteUri`,
      value: repository.remoteUri,
      allowed: 'the HTTPS clone URL of a github.com repository ending in ".git", each repository once',
      fix: 'copy the HTTPS clone URL from GitHub, such as "https://github.com/acme/shop.git"',
    });
  });
}
