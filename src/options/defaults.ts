import { DatabaseEdition, type EnvironmentOptions } from './environment-options';
import {
  type GcpAppProjectOptions,
  PrivateServicesAccess,
  VpcAccessMode,
} from './gcp-app-project-options';
import { platformOutput } from './names';
import type { PlatformReference } from './platform-reference';
import type { PolicyException } from './policy-exception';
import { DatabaseMode, ServiceIngress, type ServiceOptions } from './service-options';
import { NETWORK_OPTIONS } from './validate-access';

/** Settings of one environment after defaults apply. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly projectId: string;
  readonly production: boolean;
  readonly region: string;
  /** Whether the environment set its own region rather than the project's. */
  readonly regionFromEnvironment: boolean;
  readonly databaseEdition: DatabaseEdition;
  readonly databaseTier: string;
  readonly databaseDiskSizeGb: number;
  readonly highAvailability: boolean;
  readonly deletionProtection: boolean;
  readonly maintenanceDay: number;
  readonly maintenanceHour: number;
  readonly minInstances: number;
  readonly maxInstances: number;
  /** Branch pattern that deploys, unless `deployTag` is set. */
  readonly deployBranch?: string;
  /** Tag pattern that deploys. */
  readonly deployTag?: string;
  /** Project that owns the network, subnet and connector. */
  readonly networkProjectId: string;
  /** Full resource ID of the VPC network, `projects/P/global/networks/N`. */
  readonly networkId: string;
  /** Full resource ID of the connector, `projects/P/locations/R/connectors/C`. */
  readonly connectorId: string;
  /** Full resource ID of the subnet for Direct VPC egress. */
  readonly subnetId: string;
  readonly stateBucket: string;
}

export interface ResolvedSecret {
  readonly secret: string;
  readonly envVar?: string;
  readonly path?: string;
  readonly version: string;
}

/** A service after defaults apply. */
export interface ResolvedService {
  readonly name: string;
  /** Image the service runs: the backend's or the frontend's. */
  readonly kind: 'backend' | 'frontend';
  readonly database: DatabaseMode;
  readonly command?: string[];
  readonly cpu: string;
  readonly memory: string;
  readonly ingress: ServiceIngress;
  readonly public: boolean;
  /** IAM principals granted `roles/run.invoker`. */
  readonly invokers: string[];
  readonly env: Record<string, string>;
  readonly secrets: ResolvedSecret[];
}

/** Every option of a client repo after defaults apply. */
export interface ResolvedApp {
  readonly name: string;
  /** The project-wide region, the default of every environment. */
  readonly region: string;
  /** State bucket when the options set one; each environment's otherwise. */
  readonly stateBucket?: string;
  readonly networkProjectId?: string;
  /** The platform repo whose state supplies the network, connectors and registry. */
  readonly platform?: PlatformReference;
  /** Names of the network options, replaced by a platform reference, that the options set. */
  readonly networkOptionsSet: Array<(typeof NETWORK_OPTIONS)[number]>;
  readonly services: ResolvedService[];
  /** The frontend's service, which calls the first service, when the repo has one. */
  readonly frontend?: ResolvedService;
  readonly databaseName: string;
  readonly databaseVersion: string;
  readonly vpcAccess: VpcAccessMode;
  readonly connectorName: string;
  readonly subnetName: string;
  readonly networkName: string;
  readonly privateServicesAccess: PrivateServicesAccess;
  readonly privateServicesPrefixLength: number;
  readonly artifactRepository: string;
  readonly buildConnection: string;
  readonly buildRepository: string;
  readonly environments: ResolvedEnvironment[];
  readonly policyExceptions: PolicyException[];
}

export const DEFAULT_SERVICES: ServiceOptions[] = [{ name: 'api' }];
const PRODUCTION_TAG = '^v[0-9]+\\.[0-9]+\\.[0-9]+$';

/** Names that make an environment a production one when its `production` option is unset. */
const PRODUCTION_NAMES = ['prod', 'production'];

/** Built-in values of an environment, sized up for production. */
function environmentDefaults(production: boolean, edition: DatabaseEdition) {
  const enterpriseTier = production ? 'db-custom-2-8192' : 'db-custom-1-3840';
  return {
    databaseEdition: edition,
    databaseTier: edition === DatabaseEdition.ENTERPRISE_PLUS ? 'db-perf-optimized-N-2' : enterpriseTier,
    databaseDiskSizeGb: production ? 20 : 10,
    highAvailability: production,
    deletionProtection: production,
    maintenanceDay: 7,
    maintenanceHour: 3,
    minInstances: production ? 1 : 0,
    maxInstances: 10,
  };
}

/** Environments used when the options list none. */
export function defaultEnvironments(name: string): EnvironmentOptions[] {
  return [
    { name: 'staging', projectId: `${name}-staging` },
    { name: 'prod', projectId: `${name}-prod` },
  ];
}

/**
 * Layers the options in one visible order: built-in defaults, then the
 * defaults of the environment's kind, then what the user wrote.
 */
export function resolveOptions(options: GcpAppProjectOptions): ResolvedApp {
  const connectorName = options.connectorName ?? 'platform-connector';
  const subnetName = options.subnetName ?? 'serverless';
  const networkName = options.networkName ?? 'platform';
  const environments = options.environments ?? defaultEnvironments(options.name);

  return {
    name: options.name,
    region: options.region,
    stateBucket: options.stateBucket,
    networkProjectId: options.networkProjectId,
    platform: options.platform,
    networkOptionsSet: NETWORK_OPTIONS.filter((option) => options[option] !== undefined),
    services: (options.services ?? DEFAULT_SERVICES).map(resolveService),
    frontend: options.frontend ? resolveFrontend(options.frontend.name ?? 'web') : undefined,
    databaseName: options.databaseName ?? 'app',
    databaseVersion: options.databaseVersion ?? 'POSTGRES_15',
    vpcAccess: options.vpcAccess ?? VpcAccessMode.CONNECTOR,
    connectorName,
    subnetName,
    networkName,
    privateServicesAccess: options.privateServicesAccess ?? PrivateServicesAccess.REFERENCE,
    privateServicesPrefixLength: options.privateServicesPrefixLength ?? 16,
    artifactRepository: options.artifactRepository ?? 'containers',
    buildConnection: options.buildConnection ?? 'github',
    buildRepository: options.buildRepository ?? options.name,
    policyExceptions: options.policyExceptions ?? [],
    environments: environments.map((environment) => {
      const region = environment.region ?? options.region;
      const networkProjectId = options.networkProjectId ?? environment.projectId;
      const explicit = withoutUndefined(environment);
      const production = environment.production ?? PRODUCTION_NAMES.includes(environment.name);
      const triggers =
        environment.deployBranch || environment.deployTag
          ? {}
          : production
            ? { deployTag: PRODUCTION_TAG }
            : { deployBranch: '^main$' };
      return {
        ...environmentDefaults(production, environment.databaseEdition ?? DatabaseEdition.ENTERPRISE),
        ...triggers,
        ...explicit,
        name: environment.name,
        projectId: environment.projectId,
        production,
        region,
        regionFromEnvironment: environment.region !== undefined,
        networkProjectId,
        ...(options.platform
          ? {
            networkId: platformOutput('platform', 'network_id'),
            connectorId: platformOutput('platform', 'connector_ids', region),
            // Validation rejects Direct VPC egress with a platform, which
            // creates connector subnets only.
            subnetId: '',
          }
          : {
            networkId: `projects/${networkProjectId}/global/networks/${networkName}`,
            connectorId: `projects/${networkProjectId}/locations/${region}/connectors/${connectorName}`,
            subnetId: `projects/${networkProjectId}/regions/${region}/subnetworks/${subnetName}`,
          }),
        stateBucket: options.stateBucket ?? `${environment.projectId}-tfstate`,
      };
    }),
  };
}

function resolveService(service: ServiceOptions): ResolvedService {
  return {
    name: service.name,
    kind: 'backend',
    database: service.database ?? DatabaseMode.SHARED,
    command: service.command,
    cpu: service.cpu ?? '1',
    memory: service.memory ?? '512Mi',
    ingress: service.ingress ?? ServiceIngress.ALL,
    public: service.public ?? false,
    invokers: service.invokers ?? [],
    env: service.env ?? {},
    secrets: (service.secrets ?? []).map((secret) => ({
      secret: secret.secret,
      envVar: secret.envVar,
      path: secret.path,
      version: secret.version ?? 'latest',
    })),
  };
}

/** Returns the frontend's service, which serves static files and passes API calls on, so it needs no database and small limits. */
function resolveFrontend(name: string): ResolvedService {
  return {
    name,
    kind: 'frontend',
    database: DatabaseMode.NONE,
    cpu: '1',
    memory: '256Mi',
    ingress: ServiceIngress.ALL,
    public: true,
    invokers: [],
    env: {},
    secrets: [],
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
