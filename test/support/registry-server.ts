import * as path from 'path';
import { alembic, createDatabase, installBackend, RunningBackend } from './backend';
import { TokenIssuer } from './identity-tokens';
import { PostgresServer } from './postgres';
import { synthWithoutInstall } from './synth';
import { GcpPlatformProject, type GcpPlatformProjectOptions } from '../../src';

/** Body of `PUT /projects/{name}`. */
export interface ProjectRegistration {
  readonly repository: string;
  readonly environments: string[];
  readonly project_type_version: string;
}

/** Response of a registry request, with the body parsed as JSON when there is one. */
export interface RegistryResponse {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

/** Synthesizes a platform repo into `dir` and returns its `registry/` folder. */
export function synthesizeRegistry(options: GcpPlatformProjectOptions, dir: string): string {
  synthWithoutInstall(new GcpPlatformProject({ ...options, outdir: dir }));
  return path.join(dir, 'registry');
}

/**
 * The platform's project registry served end to end from a synthesized
 * `registry/` folder: its requirements in a venv, PostgreSQL 15 migrated
 * with Alembic, and uvicorn on a loopback port. Tokens come from a loopback
 * issuer whose JWKS the registry reads through REGISTRY_JWKS_URL.
 *
 * The JWKS is served by the test process, so a test must not block the
 * event loop (with spawnSync, say) while the registry checks a token.
 */
export class RegistryServer {
  /** Starts the registry. `env` adds settings such as REGISTRY_ADMINS. */
  static async start(registryDir: string, env: NodeJS.ProcessEnv = {}): Promise<RegistryServer> {
    const issuer = await TokenIssuer.start();
    let database: PostgresServer | undefined;
    try {
      database = await PostgresServer.start();
      const python = installBackend(registryDir);
      createDatabase(database, 'registry');
      alembic(python, registryDir, database, 'registry', ['upgrade', 'head']);
      const backend = await RunningBackend.start(python, registryDir, database, 'registry', {
        ...env,
        REGISTRY_JWKS_URL: issuer.jwksUrl,
      });
      return new RegistryServer(registryDir, python, issuer, database, backend);
    } catch (error) {
      await database?.stop();
      await issuer.stop();
      throw error;
    }
  }

  private constructor(
    public readonly registryDir: string,
    /** Python of the registry's venv. */
    public readonly python: string,
    public readonly issuer: TokenIssuer,
    public readonly database: PostgresServer,
    public readonly backend: RunningBackend,
  ) {}

  /** Base URL, which is also the audience the registry expects in tokens. */
  get url(): string {
    return this.backend.baseUrl;
  }

  /** Returns a valid token of `email` for this registry. */
  tokenFor(email: string): string {
    return this.issuer.tokenFor(email, this.url);
  }

  /** Sends a request with an optional bearer token and JSON body. */
  async call(method: string, route: string, token?: string, body?: unknown): Promise<RegistryResponse> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  /** Registers or updates a project as `email`, and throws unless the registry returns 200 or 201. */
  async register(name: string, project: ProjectRegistration, email: string): Promise<void> {
    const response = await this.call('PUT', `/projects/${name}`, this.tokenFor(email), project);
    if (response.status !== 200 && response.status !== 201) {
      throw new Error(`PUT /projects/${name} returned HTTP ${response.status}: ${JSON.stringify(response.body)}`);
    }
  }

  async stop(): Promise<void> {
    try {
      await this.backend.stop();
      await this.database.stop();
    } finally {
      await this.issuer.stop();
    }
  }
}
