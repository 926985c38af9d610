import type { ResolvedApp } from './defaults';
import { iamDatabaseUser, serviceNames } from './names';

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
  public readonly problems: OptionProblem[];

  constructor(problems: OptionProblem[]) {
    const lines = problems.map(
      (problem) =>
        `  - ${problem.option}: ${JSON.stringify(problem.value)} is invalid. ` +
        `Allowed: ${problem.allowed}. Fix: ${problem.fix}`,
    );
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`Invalid projen-gcp-app options in .projenrc.ts (${count}):\n${lines.join('\n')}`);
    this.name = 'InvalidOptionsError';
    this.problems = problems;
  }
}

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$|^[a-z]$/;
const SERVICE_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const DATABASE_NAME = /^[a-z_][a-z0-9_]*$/;
const CONNECTOR_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const NETWORK_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const REPOSITORY_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ENTERPRISE_TIER = /^db-(f1-micro|g1-small|custom-[0-9]+-[0-9]+)$/;

/** Longest account ID Google Cloud accepts for a service account. */
const MAX_ACCOUNT_ID = 30;
/** PostgreSQL truncates identifiers longer than 63 bytes. */
const MAX_POSTGRES_IDENTIFIER = 63;
/** Serverless VPC Access limits connector names to 25 characters. */
const MAX_CONNECTOR_NAME = 25;

/**
 * Checks every resolved option and throws one {@link InvalidOptionsError}
 * that lists all problems found.
 */
export function validateOptions(app: ResolvedApp): void {
  const problems: OptionProblem[] = [];
  const check = (ok: boolean, problem: OptionProblem) => {
    if (!ok) problems.push(problem);
  };

  const names = serviceNames(app);
  const longestAccountId = [names.runtimeAccountId, names.migratorAccountId].sort(
    (a, b) => b.length - a.length,
  )[0];

  check(SERVICE_NAME.test(app.serviceName) && longestAccountId.length <= MAX_ACCOUNT_ID, {
    option: 'serviceName',
    value: app.serviceName,
    allowed: `lowercase letters, digits and hyphens, starting with a letter, at most ${
      MAX_ACCOUNT_ID - '-migrate'.length
    } characters so that the account ID "${longestAccountId}" fits in ${MAX_ACCOUNT_ID}`,
    fix: 'use a short name such as "api" or "orders"',
  });

  check(DATABASE_NAME.test(app.databaseName) && app.databaseName.length <= MAX_POSTGRES_IDENTIFIER, {
    option: 'databaseName',
    value: app.databaseName,
    allowed: `lowercase letters, digits and underscores, not starting with a digit, at most ${MAX_POSTGRES_IDENTIFIER} characters`,
    fix: 'use a name such as "app" or "orders"',
  });

  check(CONNECTOR_NAME.test(app.connectorName) && app.connectorName.length <= MAX_CONNECTOR_NAME, {
    option: 'connectorName',
    value: app.connectorName,
    allowed: `lowercase letters, digits and hyphens, starting with a letter, at most ${MAX_CONNECTOR_NAME} characters`,
    fix: "use the name of the platform's Serverless VPC Access connector in this region",
  });

  check(NETWORK_NAME.test(app.networkName), {
    option: 'networkName',
    value: app.networkName,
    allowed: 'lowercase letters, digits and hyphens, starting with a letter, at most 63 characters',
    fix: "use the name of the platform's VPC network",
  });

  check(REPOSITORY_NAME.test(app.artifactRepository), {
    option: 'artifactRepository',
    value: app.artifactRepository,
    allowed: 'lowercase letters, digits and hyphens, starting with a letter, at most 63 characters',
    fix: 'use a name such as "containers"',
  });

  check(app.environments.length > 0, {
    option: 'environments',
    value: [],
    allowed: 'at least one environment',
    fix: 'add an environment such as { name: "staging", projectId: "my-app-staging" }',
  });

  const seen = new Set<string>();
  app.environments.forEach((environment, index) => {
    const at = `environments[${index}]`;

    check(ENVIRONMENT_NAME.test(environment.name), {
      option: `${at}.name`,
      value: environment.name,
      allowed: 'lowercase letters, digits and hyphens, starting with a letter, at most 20 characters',
      fix: 'use a name such as "staging" or "prod"',
    });
    check(!seen.has(environment.name), {
      option: `${at}.name`,
      value: environment.name,
      allowed: 'a name no other environment uses',
      fix: 'rename or remove the duplicate environment',
    });
    seen.add(environment.name);

    check(PROJECT_ID.test(environment.projectId), {
      option: `${at}.projectId`,
      value: environment.projectId,
      allowed: '6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
      fix: 'copy the project ID (not the project name or number) from the Google Cloud console',
    });

    check(REGION.test(environment.region), {
      option: environment.region === undefined ? 'region' : `region or ${at}.region`,
      value: environment.region,
      allowed: 'a Google Cloud region name such as "europe-west1" or "us-central1"',
      fix: "set the region where the platform's VPC connector runs",
    });

    check(ENTERPRISE_TIER.test(environment.databaseTier), {
      option: `${at}.databaseTier`,
      value: environment.databaseTier,
      allowed: 'a Cloud SQL Enterprise edition tier: "db-f1-micro", "db-g1-small" or "db-custom-<vCPUs>-<memory MiB>"',
      fix: 'use a tier such as "db-custom-1-3840"',
    });

    check(Number.isInteger(environment.minInstances) && environment.minInstances >= 0, {
      option: `${at}.minInstances`,
      value: environment.minInstances,
      allowed: 'a whole number of 0 or more',
      fix: 'use 0 to scale to zero or 1 to keep one instance warm',
    });
    check(
      Number.isInteger(environment.maxInstances) &&
        environment.maxInstances >= 1 &&
        environment.maxInstances >= environment.minInstances,
      {
        option: `${at}.maxInstances`,
        value: environment.maxInstances,
        allowed: `a whole number of at least 1 and at least minInstances (${environment.minInstances})`,
        fix: 'raise maxInstances or lower minInstances',
      },
    );

    const databaseUser = iamDatabaseUser(longestAccountId, environment.projectId);
    check(databaseUser.length <= MAX_POSTGRES_IDENTIFIER, {
      option: `serviceName and ${at}.projectId`,
      value: databaseUser,
      allowed: `an IAM database user name of at most ${MAX_POSTGRES_IDENTIFIER} characters`,
      fix: 'shorten serviceName',
    });
  });

  if (problems.length > 0) {
    throw new InvalidOptionsError(problems);
  }
}
