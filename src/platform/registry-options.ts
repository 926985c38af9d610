/**
 * The project registry: a FastAPI service on Cloud Run with its own Cloud
 * SQL database, built from the same constructs and backend files as client
 * repos. It records each client project, its environments, the version of
 * this package it uses and the last deploy of each environment.
 */
export interface PlatformRegistryOptions {
  /**
   * Create the registry.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * IAM principals that register deploys, granted `roles/run.invoker` on the
   * registry: the client repos' Cloud Build accounts, directly or through a
   * group, such as `group:client-builds@acme.com`.
   *
   * @default []
   */
  readonly clients?: string[];

  /**
   * IAM principals that read the registry, such as the platform team that
   * runs `fleet`, granted `roles/run.invoker` as well.
   *
   * @default []
   */
  readonly readers?: string[];

  /**
   * Principals that may change any record, such as to release an
   * environment's deployer, each `user:EMAIL` or `serviceAccount:EMAIL`.
   * They are granted `roles/run.invoker` too.
   *
   * @default []
   */
  readonly admins?: string[];

  /**
   * Size and protect the registry's database for production: a standby in a
   * second zone, deletion protection and one warm instance.
   *
   * @default true
   */
  readonly production?: boolean;

  /**
   * Regular expression of the platform repo's branches whose pushes deploy
   * the registry. Set this or `deployTag`.
   *
   * @default - none; deploys run from tags
   */
  readonly deployBranch?: string;

  /**
   * Regular expression of the platform repo's tags whose pushes deploy the
   * registry.
   *
   * @default "^v[0-9]+\\.[0-9]+\\.[0-9]+$" unless `deployBranch` is set
   */
  readonly deployTag?: string;
}
