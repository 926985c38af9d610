import * as path from 'path';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import type { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import type { Scope } from './engine';
import type { ResolvedEnvironment, ResolvedService } from '../options/defaults';
import { terraformId } from '../options/names';

/**
 * Lets only this service's account read each secret it declares. The grant
 * is on the secret, not the project, so other services cannot read it.
 * Cloud Run checks the access when it deploys, so the service waits for it.
 */
export function grantSecretAccess(
  scope: Scope,
  environment: ResolvedEnvironment,
  service: ResolvedService,
  account: ServiceAccount,
): SecretManagerSecretIamMember[] {
  return service.secrets.map(
    (secret) =>
      new SecretManagerSecretIamMember(scope, `${terraformId(service.name)}_reads_${terraformId(secret.secret)}`, {
        project: environment.projectId,
        secretId: secret.secret,
        role: 'roles/secretmanager.secretAccessor',
        member: `serviceAccount:${account.email}`,
      }),
  );
}

/** Environment variables that take their value from a secret. */
export function secretEnv(service: ResolvedService) {
  return service.secrets
    .filter((secret) => secret.envVar)
    .map((secret) => ({
      name: secret.envVar!,
      valueSource: { secretKeyRef: { secret: secret.secret, version: secret.version } },
    }));
}

/** Volumes that expose secrets as files, one folder a secret. */
export function secretVolumes(service: ResolvedService) {
  return service.secrets
    .filter((secret) => secret.path)
    .map((secret) => ({
      name: `secret-${secret.secret}`,
      secret: { secret: secret.secret, items: [{ path: path.posix.basename(secret.path!), version: secret.version }] },
    }));
}

export function secretVolumeMounts(service: ResolvedService) {
  return service.secrets
    .filter((secret) => secret.path)
    .map((secret) => ({ name: `secret-${secret.secret}`, mountPath: path.posix.dirname(secret.path!) }));
}
