import * as path from 'path';
import type { ResolvedApp, ResolvedEnvironment, ResolvedService } from './defaults';
import { DatabaseEdition } from './environment-options';
import { PrivateServicesAccess, VpcAccessMode } from './gcp-app-project-options';
import { databaseGroups, iamDatabaseUser, runtimeAccountId } from './names';
import { DatabaseMode, ServiceIngress } from './service-options';
import {
  BUCKET_NAME,
  ENV_VAR,
  REGION,
  REPO_NAME,
  RESERVED_ENV_VARS,
  validatePlatformReference,
  validateServiceAccess,
} from './validate-access';
import { POLICY_RULES } from '../policy/policy-check';

/** One invalid option: where it is, what was given, what is allowed and how to fix it. */
export interface OptionProblem {
  readonly option: string;
  readonly value: unknown;
  readonly allowed: string;
  readonly fix: string;
}

/**
 * Thrown before any file is written when options are invalid. The message
 * lists every problem, not only the first.
 */
export class InvalidOptionsError extends Error {
  public declare readonly problems: OptionProblem[];

  constructor(reported: OptionProblem[], subject = 'projen-gcp-app') {
    // Two checks can find the same problem, such as a range of a region listed twice.
    const problems = reported.filter(
      (problem, index) => reported.findIndex((other) => JSON.stringify(other) === JSON.stringify(problem)) === index,
    );
    const lines = problems.map(
      (problem) =>
        `  - ${problem.option}: ${JSON.stringify(problem.value)} is invalid. ` +
        `Allowed: ${problem.allowed}. Fix: ${problem.fix}`,
    );
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`Invalid ${subject} options in .projenrc.ts (${count}):\n${lines.join('\n')}`);
    this.name = 'InvalidOptionsError';
    // Not enumerable, so that Node does not print every problem a second
    // time after the message when the error ends the process.
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false });
  }
}

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const ENVIRONMENT_NAME = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;
const RESOURCE_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const DATABASE_NAME = /^[a-z_][a-z0-9_]*$/;
/** Machine tiers of each Cloud SQL edition. */
const EDITION_TIERS: Record<DatabaseEdition, { pattern: RegExp; allowed: string; example: string }> = {
  [DatabaseEdition.ENTERPRISE]: {
    pattern: /^db-(f1-micro|g1-small|custom-[0-9]+-[0-9]+)$/,
    allowed: '"db-f1-micro", "db-g1-small" or "db-custom-<vCPUs>-<memory MiB>"',
    example: 'db-custom-1-3840',
  },
  [DatabaseEdition.ENTERPRISE_PLUS]: {
    pattern: /^db-perf-optimized-N-(2|4|8|16|32|48|64|80|96|128)$/,
    allowed: '"db-perf-optimized-N-<vCPUs>" with 2, 4, 8, 16, 32, 48, 64, 80, 96 or 128 vCPUs',
    example: 'db-perf-optimized-N-2',
  },
};
const POSTGRES_VERSION = /^POSTGRES_(14|15|16|17)$/;
const CPU = /^([0-9]+(\.[0-9]+)?|[0-9]+m)$/;
const MEMORY = /^[0-9]+(Mi|Gi)$/;
const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;
const BUILD_REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;
/** Databases every Cloud SQL for PostgreSQL instance already has. */
const RESERVED_DATABASES = ['postgres', 'template0', 'template1', 'cloudsqladmin'];

/** Maximum length of a service account ID. */
const MAX_ACCOUNT_ID = 30;
/** PostgreSQL truncates identifiers longer than 63 bytes. */
const MAX_POSTGRES_IDENTIFIER = 63;
/** Serverless VPC Access limits connector names to 25 characters. */
const MAX_CONNECTOR_NAME = 25;
/** Maximum length of the name of a VPC network, subnet or repository. */
const MAX_RESOURCE_NAME = 63;
/** Variables the platform sets on every service, which a secret must not replace. */

/** Collects problems so that one error can list them all. */
class Problems {
  readonly list: OptionProblem[] = [];

  check(ok: boolean, problem: OptionProblem): void {
    if (!ok) this.list.push(problem);
  }
}

/**
 * Checks every resolved option and throws one {@link InvalidOptionsError}
 * that lists all problems found.
 */
export function validateOptions(app: ResolvedApp): void {
  const problems = new Problems();
  validateProject(app, problems);
  validateNetworkAndBuild(app, problems);
  validatePlatformReference(app, problems);
  validateServices(app, problems);
  app.environments.forEach((environment, index) => validateEnvironment(app, environment, index, problems));
  validatePolicyExceptions(app, problems);

  if (problems.list.length > 0) {
    throw new InvalidOptionsError(problems.list);
  }
}

function resourceName(max: number) {
  return `lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, at most ${max} characters`;
}

function isResourceName(value: string, max: number): boolean {
  return RESOURCE_NAME.test(value) && value.length <= max;
}

function validateProject(app: ResolvedApp, problems: Problems): void {
  problems.check(REPO_NAME.test(app.name), {
    option: 'name',
    value: app.name,
    allowed: resourceName(40),
    fix: 'name the repo like its Git repository, for example "orders-backend"',
  });
  problems.check(
    DATABASE_NAME.test(app.databaseName) &&
      app.databaseName.length <= MAX_POSTGRES_IDENTIFIER &&
      !RESERVED_DATABASES.includes(app.databaseName),
    {
      option: 'databaseName',
      value: app.databaseName,
      allowed: `lowercase letters, digits and underscores, not starting with a digit, at most ${MAX_POSTGRES_IDENTIFIER} characters, and not ${RESERVED_DATABASES.join(', ')}, which Cloud SQL already has`,
      fix: 'use a name such as "app" or "orders"',
    },
  );
  problems.check(REGION.test(app.region), {
    option: 'region',
    value: app.region,
    allowed: 'a Google Cloud region name such as "europe-west1" or "us-central1"',
    fix: "set the region where the platform's network reaches Cloud Run",
  });
  if (app.stateBucket !== undefined) {
    problems.check(BUCKET_NAME.test(app.stateBucket), {
      option: 'stateBucket',
      value: app.stateBucket,
      allowed: '3 to 63 lowercase letters, digits, ".", "_" and "-", starting and ending with a letter or digit',
      fix: 'use the name of the Cloud Storage bucket that holds Terraform state',
    });
  }
  if (app.networkProjectId !== undefined) {
    problems.check(PROJECT_ID.test(app.networkProjectId), {
      option: 'networkProjectId',
      value: app.networkProjectId,
      allowed: '6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
      fix: "copy the ID of the project that owns the platform's network",
    });
  }
  problems.check(POSTGRES_VERSION.test(app.databaseVersion), {
    option: 'databaseVersion',
    value: app.databaseVersion,
    allowed: '"POSTGRES_14", "POSTGRES_15", "POSTGRES_16" or "POSTGRES_17"',
    fix: 'use "POSTGRES_15" unless the platform runs another version',
  });
}

function validateNetworkAndBuild(app: ResolvedApp, problems: Problems): void {
  problems.check(Object.values(VpcAccessMode).includes(app.vpcAccess), {
    option: 'vpcAccess',
    value: app.vpcAccess,
    allowed: Object.values(VpcAccessMode).map((mode) => `"${mode}"`).join(' or '),
    fix: 'use VpcAccessMode.CONNECTOR or VpcAccessMode.DIRECT',
  });
  problems.check(isResourceName(app.connectorName, MAX_CONNECTOR_NAME), {
    option: 'connectorName',
    value: app.connectorName,
    allowed: resourceName(MAX_CONNECTOR_NAME),
    fix: "use the name of the platform's Serverless VPC Access connector in this region",
  });
  problems.check(isResourceName(app.subnetName, MAX_RESOURCE_NAME), {
    option: 'subnetName',
    value: app.subnetName,
    allowed: resourceName(MAX_RESOURCE_NAME),
    fix: "use the name of the platform's subnet for Cloud Run",
  });
  problems.check(isResourceName(app.networkName, MAX_RESOURCE_NAME), {
    option: 'networkName',
    value: app.networkName,
    allowed: resourceName(MAX_RESOURCE_NAME),
    fix: "use the name of the platform's VPC network",
  });
  problems.check(Object.values(PrivateServicesAccess).includes(app.privateServicesAccess), {
    option: 'privateServicesAccess',
    value: app.privateServicesAccess,
    allowed: Object.values(PrivateServicesAccess).map((mode) => `"${mode}"`).join(' or '),
    fix: 'use PrivateServicesAccess.REFERENCE or PrivateServicesAccess.CREATE',
  });
  problems.check(
    Number.isInteger(app.privateServicesPrefixLength) && app.privateServicesPrefixLength >= 8 && app.privateServicesPrefixLength <= 24,
    {
      option: 'privateServicesPrefixLength',
      value: app.privateServicesPrefixLength,
      allowed: 'a whole number from 8 to 24, because Google needs a /24 range or larger',
      fix: 'use 16, the size Google recommends',
    },
  );
  problems.check(isResourceName(app.artifactRepository, MAX_RESOURCE_NAME), {
    option: 'artifactRepository',
    value: app.artifactRepository,
    allowed: resourceName(MAX_RESOURCE_NAME),
    fix: 'use a name such as "containers"',
  });
  problems.check(isResourceName(app.buildConnection, MAX_RESOURCE_NAME), {
    option: 'buildConnection',
    value: app.buildConnection,
    allowed: resourceName(MAX_RESOURCE_NAME),
    fix: 'use the name of the Cloud Build repository connection, shown under Cloud Build > Repositories',
  });
  problems.check(BUILD_REPOSITORY.test(app.buildRepository), {
    option: 'buildRepository',
    value: app.buildRepository,
    allowed: 'letters, digits, ".", "_" and "-", at most 100 characters',
    fix: 'use the repository name shown in the Cloud Build connection',
  });
  problems.check(app.environments.length > 0, {
    option: 'environments',
    value: [],
    allowed: 'at least one environment',
    fix: 'add an environment such as { name: "staging", projectId: "my-app-staging" }',
  });
}

function validateServices(app: ResolvedApp, problems: Problems): void {
  problems.check(app.services.length > 0, {
    option: 'services',
    value: [],
    allowed: 'at least one service',
    fix: 'add a service such as { name: "api" }',
  });

  const seen = new Set<string>();
  app.services.forEach((service, index) => {
    const at = `services[${index}]`;
    // A service that names a database group also prefixes "-migrate".
    const suffix = service.database === DatabaseMode.NONE ? '-run' : '-migrate';
    const max = MAX_ACCOUNT_ID - suffix.length;
    problems.check(isResourceName(service.name, max) && service.name.length >= 2, {
      option: `${at}.name`,
      value: service.name,
      allowed: `${resourceName(max)} and at least 2, so that the account ID "${service.name}${suffix}" fits in ${MAX_ACCOUNT_ID}`,
      fix: 'use a short name such as "api" or "worker"',
    });
    problems.check(!seen.has(service.name), {
      option: `${at}.name`,
      value: service.name,
      allowed: 'a name no other service uses',
      fix: 'rename or remove the duplicate service',
    });
    seen.add(service.name);

    problems.check(Object.values(DatabaseMode).includes(service.database), {
      option: `${at}.database`,
      value: service.database,
      allowed: Object.values(DatabaseMode).map((mode) => `"${mode}"`).join(', '),
      fix: 'use DatabaseMode.SHARED, DatabaseMode.DEDICATED or DatabaseMode.NONE',
    });
    problems.check(Object.values(ServiceIngress).includes(service.ingress), {
      option: `${at}.ingress`,
      value: service.ingress,
      allowed: Object.values(ServiceIngress).map((mode) => `"${mode}"`).join(', '),
      fix: 'use one of the ServiceIngress values',
    });
    problems.check(CPU.test(service.cpu), {
      option: `${at}.cpu`,
      value: service.cpu,
      allowed: 'a number of CPUs such as "1" or "2", or millicores such as "500m"',
      fix: 'use "1"',
    });
    problems.check(MEMORY.test(service.memory), {
      option: `${at}.memory`,
      value: service.memory,
      allowed: 'a whole number with "Mi" or "Gi", such as "512Mi" or "2Gi"',
      fix: 'use "512Mi"',
    });
    problems.check(service.command === undefined || (service.command.length > 0 && service.command.every((part) => typeof part === 'string' && part.length > 0)), {
      option: `${at}.command`,
      value: service.command,
      allowed: 'a non-empty list of non-empty strings',
      fix: 'leave it out to serve the API, or give the program and its arguments, such as ["python", "-m", "app.worker"]',
    });
    validateSecrets(service, at, problems);
    validateServiceAccess(service, at, problems);
  });

  if (app.frontend) {
    problems.check(isResourceName(app.frontend.name, MAX_ACCOUNT_ID - '-run'.length) && app.frontend.name.length >= 2, {
      option: 'frontend.name',
      value: app.frontend.name,
      allowed: resourceName(MAX_ACCOUNT_ID - '-run'.length),
      fix: 'use a short name such as "web"',
    });
    problems.check(app.services[0]?.public === true, {
      option: 'services[0].public',
      value: app.services[0]?.public,
      allowed: 'true when the repo has a frontend',
      fix: 'set public: true on the first service, because the frontend passes API requests on without an identity token',
    });
    problems.check(!seen.has(app.frontend.name), {
      option: 'frontend.name',
      value: app.frontend.name,
      allowed: 'a name no service uses',
      fix: 'rename the frontend or the service',
    });
  }
}

function validateSecrets(service: ResolvedService, at: string, problems: Problems): void {
  const envVars = new Set<string>();
  const folders = new Set<string>();
  service.secrets.forEach((secret, index) => {
    const secretAt = `${at}.secrets[${index}]`;
    problems.check(SECRET_ID.test(secret.secret), {
      option: `${secretAt}.secret`,
      value: secret.secret,
      allowed: 'letters, digits, "_" and "-", at most 255 characters',
      fix: 'use the secret ID shown in Secret Manager',
    });
    problems.check((secret.envVar === undefined) !== (secret.path === undefined), {
      option: `${secretAt}`,
      value: { envVar: secret.envVar, path: secret.path },
      allowed: 'exactly one of envVar and path',
      fix: 'set envVar to read the secret from a variable, or path to read it from a file',
    });
    if (secret.envVar !== undefined) {
      problems.check(ENV_VAR.test(secret.envVar) && !RESERVED_ENV_VARS.includes(secret.envVar) && !envVars.has(secret.envVar), {
        option: `${secretAt}.envVar`,
        value: secret.envVar,
        allowed: `upper-case letters, digits and "_", not starting with a digit, used once, and not one of ${RESERVED_ENV_VARS.join(', ')}`,
        fix: 'choose another variable name, such as "STRIPE_API_KEY"',
      });
      envVars.add(secret.envVar);
    }
    if (secret.path !== undefined) {
      const folder = path.posix.dirname(secret.path);
      problems.check(
        path.posix.isAbsolute(secret.path) && folder !== '/' && !folder.startsWith('/cloudsql') && !folders.has(folder) && path.posix.basename(secret.path).length > 0,
        {
          option: `${secretAt}.path`,
          value: secret.path,
          allowed: 'an absolute file path in a folder of its own, not "/" or "/cloudsql", because Cloud Run mounts each secret as a folder',
          fix: 'use a path such as "/secrets/stripe/key"',
        },
      );
      folders.add(folder);
    }
  });
}

function validateEnvironment(app: ResolvedApp, environment: ResolvedEnvironment, index: number, problems: Problems): void {
  const at = `environments[${index}]`;
  const earlier = app.environments.slice(0, index).map((candidate) => candidate.name);

  problems.check(ENVIRONMENT_NAME.test(environment.name), {
    option: `${at}.name`,
    value: environment.name,
    allowed: resourceName(20),
    fix: 'use a name such as "staging" or "prod"',
  });
  problems.check(!earlier.includes(environment.name), {
    option: `${at}.name`,
    value: environment.name,
    allowed: 'a name no other environment uses',
    fix: 'rename or remove the duplicate environment',
  });
  const sameProject = app.environments.slice(0, index).find((candidate) => candidate.projectId === environment.projectId);
  problems.check(sameProject === undefined, {
    option: `${at}.projectId`,
    value: environment.projectId,
    allowed: `a project no other environment uses (environment "${sameProject?.name}" uses it), because every environment creates resources with the same names`,
    fix: 'give each environment its own Google Cloud project',
  });
  problems.check(PROJECT_ID.test(environment.projectId), {
    option: `${at}.projectId`,
    value: environment.projectId,
    allowed: '6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
    fix: 'copy the project ID (not the project name or number) from the Google Cloud console',
  });
  if (environment.regionFromEnvironment) {
    problems.check(REGION.test(environment.region), {
      option: `${at}.region`,
      value: environment.region,
      allowed: 'a Google Cloud region name such as "europe-west1" or "us-central1"',
      fix: "set the region where the platform's network reaches Cloud Run",
    });
  }
  const edition = EDITION_TIERS[environment.databaseEdition];
  problems.check(edition !== undefined, {
    option: `${at}.databaseEdition`,
    value: environment.databaseEdition,
    allowed: Object.values(DatabaseEdition).map((name) => `"${name}"`).join(' or '),
    fix: 'use DatabaseEdition.ENTERPRISE or DatabaseEdition.ENTERPRISE_PLUS',
  });
  if (edition) {
    problems.check(edition.pattern.test(environment.databaseTier), {
      option: `${at}.databaseTier`,
      value: environment.databaseTier,
      allowed: `a tier of the ${environment.databaseEdition} edition: ${edition.allowed}`,
      fix: `use a tier such as "${edition.example}", or change databaseEdition`,
    });
  }
  const protectionExcepted = app.policyExceptions.some(
    (exception) => exception.rule === 'prod-deletion-protection' && exception.environment === environment.name,
  );
  problems.check(!environment.production || environment.deletionProtection || protectionExcepted, {
    option: `${at}.deletionProtection`,
    value: environment.deletionProtection,
    allowed: 'true in a production environment',
    fix: 'remove deletionProtection: false, set production: false, or add a prod-deletion-protection entry with a reason to policyExceptions',
  });
  problems.check(Number.isInteger(environment.databaseDiskSizeGb) && environment.databaseDiskSizeGb >= 10, {
    option: `${at}.databaseDiskSizeGb`,
    value: environment.databaseDiskSizeGb,
    allowed: 'a whole number of GB, at least 10',
    fix: 'use 10 or more; the disk also grows on its own',
  });
  problems.check(Number.isInteger(environment.maintenanceDay) && environment.maintenanceDay >= 1 && environment.maintenanceDay <= 7, {
    option: `${at}.maintenanceDay`,
    value: environment.maintenanceDay,
    allowed: 'a whole number from 1 (Monday) to 7 (Sunday)',
    fix: 'use 7 for Sunday',
  });
  problems.check(Number.isInteger(environment.maintenanceHour) && environment.maintenanceHour >= 0 && environment.maintenanceHour <= 23, {
    option: `${at}.maintenanceHour`,
    value: environment.maintenanceHour,
    allowed: 'a whole number from 0 to 23 (UTC)',
    fix: 'use an hour of low traffic, such as 3',
  });
  problems.check(Number.isInteger(environment.minInstances) && environment.minInstances >= 0, {
    option: `${at}.minInstances`,
    value: environment.minInstances,
    allowed: 'a whole number of 0 or more',
    fix: 'use 0 to scale to zero or 1 to keep one instance warm',
  });
  problems.check(
    Number.isInteger(environment.maxInstances) && environment.maxInstances >= 1 && environment.maxInstances >= environment.minInstances,
    {
      option: `${at}.maxInstances`,
      value: environment.maxInstances,
      allowed: `a whole number of at least 1 and at least minInstances (${environment.minInstances})`,
      fix: 'raise maxInstances or lower minInstances',
    },
  );
  problems.check(!(environment.deployBranch && environment.deployTag), {
    option: `${at}.deployBranch and ${at}.deployTag`,
    value: { deployBranch: environment.deployBranch, deployTag: environment.deployTag },
    allowed: 'one of the two',
    fix: 'deploy this environment either from a branch or from tags',
  });
  for (const [option, pattern] of [['deployBranch', environment.deployBranch], ['deployTag', environment.deployTag]] as const) {
    if (pattern !== undefined) {
      problems.check(isRegularExpression(pattern), {
        option: `${at}.${option}`,
        value: pattern,
        allowed: 'a regular expression',
        fix: 'fix the expression, for example "^main$" or "^v[0-9]+\\\\.[0-9]+\\\\.[0-9]+$"',
      });
    }
  }

  validateDatabaseUsers(app, environment, at, problems);
}

/** Checks that every IAM database user name of the environment fits PostgreSQL's identifier limit. */
function validateDatabaseUsers(app: ResolvedApp, environment: ResolvedEnvironment, at: string, problems: Problems): void {
  const accountIds = [
    ...app.services.filter((service) => service.database !== DatabaseMode.NONE).map(runtimeAccountId),
    ...databaseGroups(app).map((group) => group.migratorAccountId),
  ];
  for (const accountId of accountIds) {
    const user = iamDatabaseUser(accountId, environment.projectId);
    problems.check(user.length <= MAX_POSTGRES_IDENTIFIER, {
      option: `services and ${at}.projectId`,
      value: user,
      allowed: `an IAM database user name of at most ${MAX_POSTGRES_IDENTIFIER} characters`,
      fix: 'shorten the service name',
    });
  }
}

function validatePolicyExceptions(app: ResolvedApp, problems: Problems): void {
  const environments = app.environments.map((environment) => environment.name);
  app.policyExceptions.forEach((exception, index) => {
    const at = `policyExceptions[${index}]`;
    problems.check(POLICY_RULES.includes(exception.rule), {
      option: `${at}.rule`,
      value: exception.rule,
      allowed: POLICY_RULES.map((rule) => `"${rule}"`).join(', '),
      fix: 'use the rule ID the policy error named',
    });
    problems.check(environments.includes(exception.environment), {
      option: `${at}.environment`,
      value: exception.environment,
      allowed: environments.map((name) => `"${name}"`).join(', '),
      fix: 'name the environment whose Terraform breaks the rule',
    });
    problems.check(typeof exception.reason === 'string' && exception.reason.trim().length >= 10, {
      option: `${at}.reason`,
      value: exception.reason,
      allowed: 'a written reason of at least 10 characters',
      fix: 'say why this resource may break the rule; the Terraform JSON records it',
    });
  });
}

function isRegularExpression(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
