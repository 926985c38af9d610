import { Cloudbuildv2Connection } from '@cdktf/provider-google/lib/cloudbuildv2-connection';
import { Cloudbuildv2Repository } from '@cdktf/provider-google/lib/cloudbuildv2-repository';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { addOutput, type Scope } from './engine';
import { repositoryTerraformId, type PlatformBuildConnectionConfig } from '../platform/platform-config';

const BUILD_CONNECTION_APIS = ['cloudbuild.googleapis.com', 'secretmanager.googleapis.com'];

/**
 * Adds the Cloud Build 2nd-gen connection to github.com and the repositories
 * it links. The Cloud Build service agent of the project reads the OAuth
 * token when the connection is created, so it gets
 * `roles/secretmanager.secretAccessor` on that one secret first.
 */
export function addBuildConnection(scope: Scope, projectId: string, connection: PlatformBuildConnectionConfig): void {
  const apis = BUILD_CONNECTION_APIS.map(
    (api) => new ProjectService(scope, `api_${api.split('.')[0]}`, { service: api, disableOnDestroy: false }),
  );
  const project = new DataGoogleProject(scope, 'platform', { projectId });

  // The secret may live in another project, so it is named by its full path
  // rather than by ID and the provider's project.
  const secret = connection.oauthTokenSecretVersion.replace(/\/versions\/[^/]+$/, '');
  // NOTE: Google creates the service agent when the Cloud Build API is
  // enabled, possibly with a delay. So a first apply may fail on this grant,
  // and a second `terraform apply` is expected to pass. Not yet applied to a
  // real project.
  const grant = new SecretManagerSecretIamMember(scope, 'build_connection_reads_token', {
    secretId: secret,
    role: 'roles/secretmanager.secretAccessor',
    member: `serviceAccount:service-${project.number}@gcp-sa-cloudbuild.iam.gserviceaccount.com`,
    dependsOn: apis,
  });

  const resource = new Cloudbuildv2Connection(scope, 'build_connection', {
    name: connection.name,
    location: connection.region,
    githubConfig: {
      appInstallationId: connection.githubAppInstallationId,
      authorizerCredential: { oauthTokenSecretVersion: connection.oauthTokenSecretVersion },
    },
    dependsOn: [grant],
  });

  const repositoryIds: Record<string, string> = {};
  for (const repository of connection.repositories) {
    // The provider documents parent_connection as the connection's name, not its ID.
    const linked = new Cloudbuildv2Repository(scope, repositoryTerraformId(repository.name), {
      name: repository.name,
      location: connection.region,
      parentConnection: resource.name,
      remoteUri: repository.remoteUri,
    });
    repositoryIds[repository.name] = linked.id;
  }

  addOutput(scope, 'build_connection_id', resource.id, 'Cloud Build connection to GitHub in the platform project.');
  addOutput(scope, 'build_repository_ids', repositoryIds, 'Cloud Build repository ID of each linked repository, keyed by name.');
}
