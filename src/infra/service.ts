import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member';
import type { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import type { ITerraformDependable } from 'cdktf';
import {
  cloudSqlVolumeMounts,
  cloudSqlVolumes,
  connectionEnv,
  type DatabaseConnection,
  DEPLOY_MANAGED_FIELDS,
  PLACEHOLDER_IMAGE,
} from './cloud-run';
import type { Scope } from './engine';
import { vpcAccess } from './network';
import { secretEnv, secretVolumeMounts, secretVolumes } from './secrets';
import type { ResolvedApp, ResolvedEnvironment, ResolvedService } from '../options/defaults';
import { terraformId } from '../options/names';

export interface ServiceProps {
  readonly account: ServiceAccount;
  /** The database connection, or undefined for a service without one. */
  readonly connection?: DatabaseConnection;
  /** Further environment variables, such as the frontend's API address. */
  readonly env?: Array<{ readonly name: string; readonly value: string }>;
  readonly dependsOn: ITerraformDependable[];
}

/**
 * Adds a Cloud Run v2 service with its invoker bindings: one for each of
 * `invokers`, and an open one when the service is public.
 */
export function addService(
  scope: Scope,
  app: ResolvedApp,
  environment: ResolvedEnvironment,
  service: ResolvedService,
  props: ServiceProps,
): CloudRunV2Service {
  const id = terraformId(service.name);
  const connection = props.connection;
  const runService = new CloudRunV2Service(scope, `${id}_service`, {
    name: service.name,
    location: environment.region,
    ingress: service.ingress,
    deletionProtection: environment.deletionProtection,
    labels: { app: app.name, environment: environment.name },
    template: {
      serviceAccount: props.account.email,
      scaling: {
        minInstanceCount: environment.minInstances,
        maxInstanceCount: environment.maxInstances,
      },
      vpcAccess: vpcAccess(app, environment),
      volumes: nonEmpty([...cloudSqlVolumes(connection), ...secretVolumes(service)]),
      containers: [
        {
          image: PLACEHOLDER_IMAGE,
          command: service.command,
          ports: { containerPort: 8080 },
          env: [
            ...(service.kind === 'backend' ? connectionEnv(connection) : []),
            ...(props.env ?? []),
            ...Object.entries(service.env).map(([name, value]) => ({ name, value })),
            ...secretEnv(service),
          ],
          volumeMounts: nonEmpty([...cloudSqlVolumeMounts(connection), ...secretVolumeMounts(service)]),
          resources: {
            limits: { cpu: service.cpu, memory: service.memory },
            cpuIdle: true,
            startupCpuBoost: true,
          },
          startupProbe: { httpGet: { path: '/healthz' }, periodSeconds: 2, failureThreshold: 15 },
          livenessProbe: { httpGet: { path: '/healthz' }, periodSeconds: 30 },
        },
      ],
    },
    lifecycle: {
      ignoreChanges: [...DEPLOY_MANAGED_FIELDS, 'template[0].containers[0].image'],
    },
    dependsOn: props.dependsOn,
  });

  if (service.public) {
    new CloudRunV2ServiceIamMember(scope, `${id}_public_invoker`, {
      name: runService.name,
      location: environment.region,
      role: 'roles/run.invoker',
      member: 'allUsers',
    });
  }
  service.invokers.forEach((member, index) => {
    new CloudRunV2ServiceIamMember(scope, `${id}_invoker_${index}`, {
      name: runService.name,
      location: environment.region,
      role: 'roles/run.invoker',
      member,
    });
  });
  return runService;
}

/** Leaves an empty list out of the JSON instead of writing `[]`. */
function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}
