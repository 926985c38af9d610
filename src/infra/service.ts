import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import type { ITerraformDependable } from 'cdktf';
import {
  CLOUD_SQL_VOLUME_MOUNTS,
  cloudSqlVolume,
  connectionEnv,
  connectorAccess,
  type DatabaseConnection,
  DEPLOY_MANAGED_FIELDS,
  PLACEHOLDER_IMAGE,
} from './cloud-run';
import type { Scope } from './engine';
import type { ResolvedApp, ResolvedEnvironment } from '../options/defaults';

export interface ServiceProps {
  readonly serviceAccountEmail: string;
  readonly connection: DatabaseConnection;
  readonly dependsOn: ITerraformDependable[];
}

/** Adds the Cloud Run v2 service that serves the backend. */
export function addService(
  scope: Scope,
  app: ResolvedApp,
  environment: ResolvedEnvironment,
  props: ServiceProps,
): CloudRunV2Service {
  return new CloudRunV2Service(scope, 'service', {
    name: app.serviceName,
    location: environment.region,
    ingress: 'INGRESS_TRAFFIC_ALL',
    deletionProtection: environment.deletionProtection,
    labels: { app: app.serviceName, environment: environment.name },
    template: {
      serviceAccount: props.serviceAccountEmail,
      scaling: {
        minInstanceCount: environment.minInstances,
        maxInstanceCount: environment.maxInstances,
      },
      vpcAccess: connectorAccess(environment.connectorId),
      volumes: cloudSqlVolume(props.connection.connectionName),
      containers: [
        {
          image: PLACEHOLDER_IMAGE,
          ports: { containerPort: 8080 },
          env: connectionEnv(props.connection),
          volumeMounts: CLOUD_SQL_VOLUME_MOUNTS,
          resources: { limits: { cpu: '1', memory: '512Mi' }, cpuIdle: true, startupCpuBoost: true },
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
}
