import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user';
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
 * PostgreSQL role granted to the migration identity so that it can own the
 * schema: since PostgreSQL 15 other users cannot create objects in `public`.
 */
export const MIGRATOR_DATABASE_ROLE = 'cloudsqlsuperuser';

export interface DatabaseIdentity {
  readonly account: ServiceAccount;
  /** The PostgreSQL user name of the account, as a Terraform expression. */
  readonly databaseUser: string;
}

export interface DatabaseIdentityProps {
  readonly id: string;
  readonly accountId: string;
  readonly displayName: string;
  /** PostgreSQL roles Cloud SQL grants the user, set through the API. */
  readonly databaseRoles?: string[];
}

/**
 * Adds a service account, the project roles it needs for IAM database login,
 * and its `CLOUD_IAM_SERVICE_ACCOUNT` database user. No keys are created: the
 * account is only ever used as the identity of Cloud Run.
 */
export function addDatabaseIdentity(
  scope: Scope,
  environment: ResolvedEnvironment,
  database: Database,
  props: DatabaseIdentityProps,
): DatabaseIdentity {
  const account = new ServiceAccount(scope, `${props.id}_account`, {
    accountId: props.accountId,
    displayName: props.displayName,
  });
  const member = `serviceAccount:${account.email}`;

  for (const role of DATABASE_LOGIN_ROLES) {
    new ProjectIamMember(scope, `${props.id}_${role.split('.').pop()!.toLowerCase()}`, {
      project: environment.projectId,
      role,
      member,
    });
  }

  // Cloud SQL names the user after the account's email without the
  // ".gserviceaccount.com" suffix. Deriving it from the account's attribute
  // also makes Terraform create the account first.
  const databaseUser = trimSuffix(account.email, '.gserviceaccount.com');
  const user = new SqlUser(scope, `${props.id}_database_user`, {
    name: databaseUser,
    instance: database.instance.name,
    type: 'CLOUD_IAM_SERVICE_ACCOUNT',
  });
  if (props.databaseRoles) {
    // The prebuilt bindings (google provider 6.50) predate this field.
    user.addOverride('database_roles', props.databaseRoles);
  }

  return { account, databaseUser };
}
