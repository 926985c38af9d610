import type { EnvironmentOptions } from './environment-options';
import type { GcpAppProjectOptions } from './gcp-app-project-options';

/** Settings of one environment after defaults apply. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly projectId: string;
  readonly region: string;
  readonly databaseTier: string;
  readonly highAvailability: boolean;
  readonly deletionProtection: boolean;
  readonly minInstances: number;
  readonly maxInstances: number;
  /** Full resource ID of the VPC network, `projects/P/global/networks/N`. */
  readonly networkId: string;
  /** Full resource ID of the connector, `projects/P/locations/R/connectors/C`. */
  readonly connectorId: string;
  readonly stateBucket: string;
}

/** Every option of a client repo after defaults apply. */
export interface ResolvedApp {
  readonly name: string;
  readonly serviceName: string;
  readonly databaseName: string;
  readonly connectorName: string;
  readonly networkName: string;
  readonly artifactRepository: string;
  readonly environments: ResolvedEnvironment[];
}

export const DEFAULT_REGION = 'europe-west1';

/** Built-in values of an environment, sized up when it is named `prod`. */
function environmentDefaults(name: string) {
  const production = name === 'prod';
  return {
    databaseTier: production ? 'db-custom-2-8192' : 'db-custom-1-3840',
    highAvailability: production,
    deletionProtection: production,
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
  const networkName = options.networkName ?? 'platform';
  const environments = options.environments ?? defaultEnvironments(options.name);

  return {
    name: options.name,
    serviceName: options.serviceName ?? 'api',
    databaseName: options.databaseName ?? 'app',
    connectorName,
    networkName,
    artifactRepository: options.artifactRepository ?? 'containers',
    environments: environments.map((environment) => {
      const region = environment.region ?? options.region;
      const networkProject = options.networkProjectId ?? environment.projectId;
      return {
        ...environmentDefaults(environment.name),
        ...withoutUndefined(environment),
        name: environment.name,
        projectId: environment.projectId,
        region,
        networkId: `projects/${networkProject}/global/networks/${networkName}`,
        connectorId: `projects/${networkProject}/locations/${region}/connectors/${connectorName}`,
        stateBucket: options.stateBucket ?? `${environment.projectId}-tfstate`,
      };
    }),
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
