/**
 * Security rules every environment's Terraform must follow, checked on the
 * final JSON, after overrides, before any file is written. A deliberate
 * exception needs a written reason, which the output records next to the
 * resource.
 */
import type { PolicyException } from '../options/policy-exception';

export interface PolicyViolation {
  readonly rule: string;
  readonly resource: string;
  readonly fix: string;
}

export interface PolicyContext {
  readonly environment: string;
  readonly production: boolean;
  /** Names of the Cloud Run services declared public. */
  readonly publicServices: string[];
}

type Resources = Record<string, Record<string, any>>;

const IAM_USER_TYPES = ['CLOUD_IAM_SERVICE_ACCOUNT', 'CLOUD_IAM_USER', 'CLOUD_IAM_GROUP'];
const PUBLIC_MEMBERS = ['allUsers', 'allAuthenticatedUsers'];

/** The rules, each returning the addresses of the resources that break it. */
const RULES: Array<{ id: string; fix: string; find: (resources: Resources, context: PolicyContext) => string[] }> = [
  {
    id: 'sql-public-ip',
    fix: 'keep settings.ip_configuration.ipv4_enabled false; reach the instance over private IP',
    find: (resources) =>
      each(resources, 'google_sql_database_instance', (instance) => instance.settings?.ip_configuration?.ipv4_enabled !== false),
  },
  {
    id: 'sql-iam-auth-off',
    fix: 'keep the database flag cloudsql.iam_authentication set to "on"',
    find: (resources) =>
      each(
        resources,
        'google_sql_database_instance',
        (instance) =>
          !(instance.settings?.database_flags ?? []).some(
            (flag: any) => flag.name === 'cloudsql.iam_authentication' && flag.value === 'on',
          ),
      ),
  },
  {
    id: 'sql-password-user',
    fix: 'use a CLOUD_IAM_SERVICE_ACCOUNT user for a service account instead of a password user',
    find: (resources) => each(resources, 'google_sql_user', (user) => !IAM_USER_TYPES.includes(user.type)),
  },
  {
    id: 'service-account-key',
    fix: 'remove the key; Cloud Run and Cloud Build use their service accounts without keys',
    find: (resources) => each(resources, 'google_service_account_key', () => true),
  },
  {
    id: 'egress-all-traffic',
    fix: 'keep vpc_access.egress PRIVATE_RANGES_ONLY',
    find: (resources) => [
      ...each(resources, 'google_cloud_run_v2_service', (service) => service.template?.vpc_access?.egress === 'ALL_TRAFFIC'),
      ...each(resources, 'google_cloud_run_v2_job', (job) => job.template?.template?.vpc_access?.egress === 'ALL_TRAFFIC'),
    ],
  },
  {
    id: 'public-invoker',
    fix: 'declare the service public: true in .projenrc.ts, or remove the binding',
    find: (resources, context) =>
      ['google_cloud_run_v2_service_iam_member', 'google_cloud_run_v2_service_iam_binding'].flatMap((type) =>
        each(resources, type, (binding) => {
          const members: string[] = binding.members ?? [binding.member];
          const opensUp = members.some((member) => PUBLIC_MEMBERS.includes(member));
          return opensUp && !context.publicServices.some((name) => declaredService(resources, binding.name) === name);
        }),
      ),
  },
  {
    id: 'prod-deletion-protection',
    fix: 'keep deletion protection on in production environments',
    find: (resources, context) =>
      context.production
        ? [
          ...each(
            resources,
            'google_sql_database_instance',
            (instance) => instance.deletion_protection !== true || instance.settings?.deletion_protection_enabled !== true,
          ),
          ...each(resources, 'google_cloud_run_v2_service', (service) => service.deletion_protection !== true),
        ]
        : [],
  },
];

/** Rule IDs, for validating exceptions. */
export const POLICY_RULES = RULES.map((rule) => rule.id);

function each(resources: Resources, type: string, breaks: (resource: any) => boolean): string[] {
  return Object.entries(resources[type] ?? {})
    .filter(([, resource]) => breaks(resource))
    .map(([id]) => `${type}.${id}`);
}

/** Resolves the service a binding's `name` points at: a reference to a service resource, or a literal name. */
function declaredService(resources: Resources, name: string): string | undefined {
  const reference = /^\$\{google_cloud_run_v2_service\.([a-z0-9_]+)\.name\}$/.exec(name ?? '');
  if (reference) return resources.google_cloud_run_v2_service?.[reference[1]]?.name;
  return name;
}

/**
 * Checks one environment's Terraform JSON. Violations covered by an
 * exception get a `//` comment with the reason in their resource block,
 * which Terraform ignores; the others are returned.
 */
export function checkPolicy(
  json: { resource?: Resources },
  context: PolicyContext,
  exceptions: PolicyException[],
): PolicyViolation[] {
  const resources = json.resource ?? {};
  const violations: PolicyViolation[] = [];
  for (const rule of RULES) {
    for (const address of rule.find(resources, context)) {
      const exception = exceptions.find(
        (candidate) =>
          candidate.rule === rule.id && candidate.resource === address && candidate.environment === context.environment,
      );
      if (exception) {
        const [type, id] = address.split('.');
        resources[type][id]['//'] = `policy exception ${rule.id}: ${exception.reason}`;
      } else {
        violations.push({ rule: rule.id, resource: address, fix: rule.fix });
      }
    }
  }
  return violations;
}

/** Thrown at synth, before any file is written, when a resource breaks a rule. */
export class PolicyViolationError extends Error {
  constructor(environment: string, violations: PolicyViolation[]) {
    const lines = violations.map(
      (violation) => `  - ${violation.resource} breaks ${violation.rule}. Fix: ${violation.fix}`,
    );
    super(
      `The Terraform of environment "${environment}" breaks the security policy:\n${lines.join('\n')}\n` +
        'If a resource must break a rule, add { rule, resource, environment, reason } to policyExceptions in .projenrc.ts.',
    );
    this.name = 'PolicyViolationError';
  }
}
