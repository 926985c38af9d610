import { javascript, SampleReadme } from 'projen';
import { applicationRepoOptions, markPrivate } from './files/application-repo';
import { ClientProjenrc } from './files/client-projenrc';
import { platformDocValues, renderClientReadme } from './files/client-readme';
import { ClientState } from './files/client-state';
import { addClientTasks } from './files/client-tasks';
import { addCloudBuild } from './files/cloudbuild';
import { addDockerCompose } from './files/docker-compose';
import { addFrontendProject } from './files/frontend';
import { OwnedFile } from './files/owned-file';
import { OwnedFileNotices } from './files/owned-file-notices';
import { ManagedTemplateFile } from './files/template-file';
import { addTemplateFiles, templateSelection } from './files/template-files';
import { infraDir, TerraformJsonFile } from './files/terraform-file';
import { allowUnattendedUpgrade } from './files/unattended-upgrade';
import { synthesizeEnvironment } from './infra/environment-stack';
import { type ResolvedApp, resolveOptions } from './options/defaults';
import type { GcpAppProjectOptions } from './options/gcp-app-project-options';
import { validateOptions } from './options/validate';
import { checkPolicy, PolicyViolationError } from './policy/policy-check';

/**
 * A client repo: a FastAPI backend on Cloud Run with a private-IP Cloud SQL
 * for PostgreSQL database reached with IAM authentication, Terraform for each
 * environment and a Cloud Build pipeline that migrates before it deploys.
 *
 * @pjid gcp-app
 */
export class GcpAppProject extends javascript.NodeProject {
  private readonly app: ResolvedApp;
  private readonly overrides = new Map<string, Array<[string, unknown]>>();
  /** Each environment's checked Terraform JSON, built before any file is written. */
  private readonly terraform = new Map<string, Record<string, unknown>>();

  constructor(options: GcpAppProjectOptions) {
    // Validate before the base class registers any file.
    const app = resolveOptions(options);
    validateOptions(app);

    super({
      // Passes the project options through, including the marker `projen new`
      // adds to create `.projenrc.ts`.
      ...options,
      ...applicationRepoOptions(options.devDeps),
    });
    this.app = app;

    new ClientProjenrc(this, { typeCheck: options.projenrcTypeCheck ?? true });
    allowUnattendedUpgrade(this);
    markPrivate(this);
    this.gitignore.exclude(
      '.venv/',
      '__pycache__/',
      '.pytest_cache/',
      '.ruff_cache/',
      '.terraform/',
      '*.tfplan',
    );

    for (const environment of app.environments) {
      new TerraformJsonFile(this, `${infraDir(environment.name)}/main.tf.json`, () => this.terraform.get(environment.name)!);
    }
    addCloudBuild(this, app);
    addDockerCompose(this, app);
    // projen always adds a sample README, which it writes again when it is
    // missing; this repo's README is an owned file instead.
    const sampleReadme = this.node.children.find((child) => child instanceof SampleReadme);
    if (sampleReadme) this.node.tryRemoveChild(sampleReadme.node.id);

    const state = new ClientState(this);
    new OwnedFile(this, 'README.md', () => renderClientReadme(app), state);
    new ManagedTemplateFile(this, 'docs/platform.md', { template: 'client/platform.md', values: () => platformDocValues(app) });
    addTemplateFiles(this, state, templateSelection(app));
    addClientTasks(this);
    if (app.frontend) addFrontendProject(this);
    new OwnedFileNotices(this, state);
  }

  /**
   * Builds every environment's Terraform, with the user's overrides, and
   * checks it against the security policy before projen writes any file.
   */
  public preSynthesize(): void {
    super.preSynthesize();
    const publicServices = [...this.app.services, ...(this.app.frontend ? [this.app.frontend] : [])]
      .filter((service) => service.public)
      .map((service) => service.name);
    for (const environment of this.app.environments) {
      const json = synthesizeEnvironment(this.app, environment, this.overrides.get(environment.name));
      const violations = checkPolicy(
        json,
        { environment: environment.name, production: environment.production, publicServices },
        this.app.policyExceptions,
      );
      if (violations.length > 0) throw new PolicyViolationError(environment.name, violations);
      this.terraform.set(environment.name, json);
    }
  }

  /**
   * Overrides a value in an environment's Terraform JSON, for settings the
   * options do not cover. The value replaces what is at the path, lists
   * included. The path is dotted, as in cdktf's `addOverride`,
   * for example `resource.google_sql_database_instance.api_instance.settings.disk_size`.
   *
   * @param environment name of the environment
   * @param path dotted path into the Terraform JSON
   * @param value the value to set; `undefined` deletes the path
   */
  public addTerraformOverride(environment: string, path: string, value: any): void {
    const known = this.app.environments.map((candidate) => candidate.name);
    if (!known.includes(environment)) {
      throw new Error(
        `Cannot override Terraform of environment "${environment}": no such environment. ` +
          `Use one of: ${known.join(', ')}.`,
      );
    }
    const list = this.overrides.get(environment) ?? [];
    list.push([path, value]);
    this.overrides.set(environment, list);
  }
}
