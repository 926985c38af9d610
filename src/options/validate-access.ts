import type { ResolvedApp, ResolvedService } from './defaults';
import { PrivateServicesAccess, VpcAccessMode } from './gcp-app-project-options';

/** Collects problems, as `validateOptions` does, for the checks in this file. */
export interface ProblemSink {
  check(ok: boolean, problem: { option: string; value: unknown; allowed: string; fix: string }): void;
}

export const REPO_NAME = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
export const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;
export const ENV_VAR = /^[A-Z_][A-Z0-9_]*$/;
export const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
/** Variables the platform sets on every service, which options may not set again. */
export const RESERVED_ENV_VARS = ['INSTANCE_CONNECTION_NAME', 'DB_USER', 'DB_NAME', 'DATABASE_ENABLED', 'DATABASE_URL', 'PORT', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION'];
/**
 * IAM principal types that `roles/run.invoker` may be granted to by name.
 * `allUsers` and `allAuthenticatedUsers` are left out: `public` covers the
 * first, and the second admits any Google account.
 */
export const INVOKER = /^(user|serviceAccount|group|domain|principal|principalSet):[^\s]+$/;

/** The options a platform reference replaces, each with its resolved value. */
export const NETWORK_OPTIONS = ['networkProjectId', 'networkName', 'connectorName', 'subnetName'] as const;

/**
 * Checks the platform reference and that no option repeats what the
 * platform's state supplies.
 */
export function validatePlatformReference(app: ResolvedApp, problems: ProblemSink): void {
  const platform = app.platform;
  if (platform === undefined) return;

  problems.check(BUCKET_NAME.test(platform.stateBucket ?? ''), {
    option: 'platform.stateBucket',
    value: platform.stateBucket,
    allowed: '3 to 63 lowercase letters, digits, ".", "_" and "-", starting and ending with a letter or digit',
    fix: "copy the platform repo's stateBucket",
  });
  problems.check(REPO_NAME.test(platform.name ?? ''), {
    option: 'platform.name',
    value: platform.name,
    allowed: 'the name of the platform repo: lowercase letters, digits and hyphens',
    fix: "copy the platform repo's name from its .projenrc.ts",
  });
  for (const option of app.networkOptionsSet) {
    problems.check(false, {
      option,
      value: app[option],
      allowed: 'no value while platform is set, because the platform state supplies it',
      fix: `remove ${option}, or remove platform to set the network by hand`,
    });
  }
  problems.check(app.vpcAccess !== VpcAccessMode.DIRECT, {
    option: 'vpcAccess',
    value: app.vpcAccess,
    allowed: 'VpcAccessMode.CONNECTOR while platform is set, because the platform creates connector subnets only',
    fix: 'remove vpcAccess, or remove platform and set subnetName',
  });
  problems.check(app.privateServicesAccess !== PrivateServicesAccess.CREATE, {
    option: 'privateServicesAccess',
    value: app.privateServicesAccess,
    allowed: 'PrivateServicesAccess.REFERENCE while platform is set, because the platform creates it',
    fix: 'remove privateServicesAccess',
  });
}

/** Checks a service's invokers and plain environment variables. */
export function validateServiceAccess(service: ResolvedService, at: string, problems: ProblemSink): void {
  const secretVars = new Set(service.secrets.map((secret) => secret.envVar));
  for (const [name, value] of Object.entries(service.env)) {
    problems.check(ENV_VAR.test(name) && !RESERVED_ENV_VARS.includes(name) && !secretVars.has(name), {
      option: `${at}.env.${name}`,
      value: name,
      allowed: `upper-case letters, digits and "_", not starting with a digit, not a secret's envVar, and not one of ${RESERVED_ENV_VARS.join(', ')}`,
      fix: 'choose another variable name, such as "FEATURE_FLAGS"',
    });
    problems.check(typeof value === 'string', {
      option: `${at}.env.${name}`,
      value,
      allowed: 'a string',
      fix: 'quote the value, for example "30"',
    });
  }
  service.invokers.forEach((member, index) => {
    problems.check(INVOKER.test(member), {
      option: `${at}.invokers[${index}]`,
      value: member,
      allowed: 'an IAM principal such as "serviceAccount:NAME@PROJECT.iam.gserviceaccount.com", "group:EMAIL", "user:EMAIL" or "domain:DOMAIN"',
      fix: 'prefix the email with its principal type; for anyone on the internet set public: true instead',
    });
  });
}
