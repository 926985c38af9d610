import { FileBase, type Project } from 'projen';

/** Folder of the Terraform root module of an environment. */
export function infraDir(environment: string): string {
  return `infra/${environment}`;
}

/**
 * A Terraform JSON file (`*.tf.json`) whose content is computed at synth, so
 * that overrides added after the project is constructed still apply.
 */
export class TerraformJsonFile extends FileBase {
  private readonly render: () => Record<string, unknown>;

  constructor(project: Project, filePath: string, render: () => Record<string, unknown>) {
    super(project, filePath, { readonly: true, marker: true });
    this.render = render;
  }

  protected synthesizeContent(): string {
    // Terraform ignores a "//" property, so the generated-file marker can sit
    // at the top of the JSON.
    return JSON.stringify({ '//': this.marker, ...this.render() }, undefined, 2) + '\n';
  }
}
