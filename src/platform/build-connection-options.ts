/** A GitHub repository linked to the platform's Cloud Build connection. */
export interface PlatformBuildRepository {
  /**
   * Name of the repository resource in Cloud Build, which build triggers
   * refer to.
   */
  readonly name: string;

  /**
   * HTTPS clone URL of the GitHub repository, such as
   * `https://github.com/acme/shop.git`.
   */
  readonly remoteUri: string;
}

/**
 * Cloud Build 2nd-gen repository connection to github.com in the platform
 * project. A build trigger can only use a connection in its own project, so
 * this connection serves builds that run in the platform project. Client
 * repos keep their own connection, named by their `buildConnection` option.
 */
export interface PlatformBuildConnectionOptions {
  /**
   * Name of the connection.
   *
   * @default "github"
   */
  readonly name?: string;

  /**
   * Region of the connection and its repositories. Connections cannot be
   * global.
   *
   * @default - the first of `regions`
   */
  readonly region?: string;

  /**
   * Installation ID of the Google Cloud Build GitHub app on the GitHub
   * account or organization, shown in the app's settings URL on GitHub.
   */
  readonly githubAppInstallationId: number;

  /**
   * Secret Manager secret version that contains the GitHub OAuth token of the
   * account that authorized the Cloud Build GitHub app, as
   * `projects/<project>/secrets/<secret>/versions/<version>`. The Cloud
   * Build service agent is granted access to this secret only.
   */
  readonly oauthTokenSecretVersion: string;

  /**
   * GitHub repositories to link to the connection.
   *
   * @default []
   */
  readonly repositories?: PlatformBuildRepository[];
}
