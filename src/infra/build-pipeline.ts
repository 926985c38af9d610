import type { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { ArtifactRegistryRepositoryIamMember } from '@cdktf/provider-google/lib/artifact-registry-repository-iam-member';
import type { CloudRunV2Job } from '@cdktf/provider-google/lib/cloud-run-v2-job';
import { CloudRunV2JobIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-job-iam-member';
import type { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member';
import { CloudbuildTrigger } from '@cdktf/provider-google/lib/cloudbuild-trigger';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import type { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import type { ITerraformDependable } from 'cdktf';
import type { Scope } from './engine';
import { addServiceAccount } from './identity';
import type { ResolvedApp, ResolvedEnvironment } from '../options/defaults';
import {
  BUILD_ACCOUNT_ID,
  ENVIRONMENT_SUBSTITUTION,
  platformOutput,
  REGISTRY_URL_SUBSTITUTION,
  terraformId,
} from '../options/names';

/** Path of the build configuration in the client repo. */
export const BUILD_CONFIG = 'cloudbuild.yaml';

export interface BuildPipelineProps {
  readonly repository: ArtifactRegistryRepository;
  /** The enabled APIs, which the build account's creation waits for. */
  readonly apis: ITerraformDependable[];
  readonly services: CloudRunV2Service[];
  readonly jobs: CloudRunV2Job[];
  /** Accounts the services and jobs run as; the build deploys as them. */
  readonly runtimeAccounts: ServiceAccount[];
}

/**
 * Adds the build's own service account with the least roles it needs. Each
 * role is granted on the one resource it acts on: push to the repository,
 * update and run the migration jobs, update the services, act as their
 * accounts, and write build logs. Then adds the trigger that runs
 * `cloudbuild.yaml` on pushes to the environment's branch or tag.
 */
export function addBuildPipeline(
  scope: Scope,
  app: ResolvedApp,
  environment: ResolvedEnvironment,
  props: BuildPipelineProps,
): CloudbuildTrigger {
  const account = addServiceAccount(scope, 'build', BUILD_ACCOUNT_ID, `Cloud Build deploys of ${app.name}`, props.apis);
  const member = `serviceAccount:${account.email}`;

  new ProjectIamMember(scope, 'build_log_writer', {
    project: environment.projectId,
    role: 'roles/logging.logWriter',
    member,
  });
  new ArtifactRegistryRepositoryIamMember(scope, 'build_pushes_images', {
    repository: props.repository.name,
    location: environment.region,
    role: 'roles/artifactregistry.writer',
    member,
  });
  for (const job of props.jobs) {
    new CloudRunV2JobIamMember(scope, `build_runs_${job.friendlyUniqueId}`, {
      name: job.name,
      location: environment.region,
      role: 'roles/run.developer',
      member,
    });
  }
  for (const service of props.services) {
    new CloudRunV2ServiceIamMember(scope, `build_deploys_${service.friendlyUniqueId}`, {
      name: service.name,
      location: environment.region,
      role: 'roles/run.developer',
      member,
    });
  }
  for (const runtime of props.runtimeAccounts) {
    new ServiceAccountIamMember(scope, `build_acts_as_${runtime.friendlyUniqueId}`, {
      serviceAccountId: runtime.name,
      role: 'roles/iam.serviceAccountUser',
      member,
    });
  }

  const repository =
    `projects/${environment.projectId}/locations/${environment.region}` +
    `/connections/${app.buildConnection}/repositories/${app.buildRepository}`;
  const push = environment.deployTag ? { tag: environment.deployTag } : { branch: environment.deployBranch };

  return new CloudbuildTrigger(scope, 'deploy_trigger', {
    name: `${app.name}-${environment.name}`,
    description: `Builds, migrates and deploys ${app.name} to ${environment.name}.`,
    location: environment.region,
    serviceAccount: account.id,
    filename: BUILD_CONFIG,
    repositoryEventConfig: { repository, push },
    substitutions: {
      _REGION: environment.region,
      ...(app.platform
        ? {
          [ENVIRONMENT_SUBSTITUTION]: environment.name,
          [REGISTRY_URL_SUBSTITUTION]: platformOutput('registry', 'registry_url'),
        }
        : {}),
    },
    tags: [terraformId(app.name), environment.name],
  });
}
