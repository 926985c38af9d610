import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user';
import type { ITerraformDependable } from 'cdktf';
import type { Database } from './database';
import { type Scope, trimSuffix } from './engine';
import type { ResolvedEnvironment } from '../options/defaults';

/**
 * The IAM roles a service account needs to log in to Cloud SQL with IAM
 * database authentication: `cloudsql.client` to open connections through the
 * connector and `cloudsql.instanceUser` to log in as its database user.
 */
export const DATABASE_LOGIN_ROLES = ['roles/cloudsql.client', 'roles/cloudsql.instanceUser'];

/**
 * PostgreSQL role granted to a migration identity so that it can own the
 * schema: since PostgreSQL 15 other users cannot create objects in `public`.
 */
export const MIGRATOR_DATABASE_ROLE = 'cloudsqlsuperuser';

/**
 * Adds a service account. No keys are created: the account is only ever
 * used as the identity of Cloud Run or Cloud Build.
 */
export function addServiceAccount(
  scope: Scope,
  id: string,
  accountId: string,
  displayName: string,
  dependsOn: ITerraformDependable[],
): ServiceAccount {
  return new ServiceAccount(scope, `${id}_account`, { accountId, displayName, dependsOn });
}

/**
 * Lets an account log in to the database with IAM authentication: the
 * project roles and a `CLOUD_IAM_SERVICE_ACCOUNT` database user. Returns the
 * user's name as a Terraform expression.
 */
export function addDatabaseLogin(
  scope: Scope,
  environment: ResolvedEnvironment,
  id: string,
  account: ServiceAccount,
  database: Database,
  databaseRoles?: string[],
): string {
  const member = `serviceAccount:${account.email}`;
  for (const role of DATABASE_LOGIN_ROLES) {
    new ProjectIamMember(scope, `${id}_${role.split('.').pop()!.toLowerCase()}`, {
      project: environment.projectId,
      role,
      member,
    });
  }

  // Cloud SQL names the user after the account's email without the
  // ".gserviceaccount.com" suffix. Deriving it from the account's attribute
  // also makes Terraform create the account first.
  const databaseUser = trimSuffix(account.email, '.gserviceaccount.com');
  const user = new SqlUser(scope, `${id}_database_user`, {
    name: databaseUser,
    instance: database.instance.name,
    type: 'CLOUD_IAM_SERVICE_ACCOUNT',
  });
  if (databaseRoles) {
    // The prebuilt bindings (google provider 6.50) predate this field.
    user.addOverride('database_roles', databaseRoles);
  }
  return databaseUser;
}
