import * as fs from 'fs';
import * as path from 'path';
import { FileBase, type Project } from 'projen';

/** Folder of the files the package copies into client repos. */
export const TEMPLATES_DIR = path.join(__dirname, '..', '..', 'templates');

/** Reads a template shipped in the package. */
export function readTemplate(relativePath: string): string {
  return fs.readFileSync(path.join(TEMPLATES_DIR, relativePath), 'utf-8');
}

/**
 * Returns the generated-file header in the comment syntax of the file.
 * Mako's `##` lines are template comments, so the header does not reach the
 * migrations Alembic writes from `script.py.mako`.
 */
function headerLine(filePath: string, marker: string): string {
  if (filePath.endsWith('.md') || filePath.endsWith('.html')) return `<!-- ${marker} -->`;
  if (filePath.endsWith('.ts')) return `// ${marker}`;
  if (filePath.endsWith('.mako')) return `## ${marker}`;
  return `# ${marker}`;
}

export interface ManagedTemplateFileOptions {
  /** Path of the template, relative to the package's `templates` folder. */
  readonly template: string;
  /** Values for the template's `{{key}}` placeholders, computed at synth. */
  readonly values?: () => Record<string, string>;
}

/**
 * A text file copied from a package template, marked as generated, made
 * read-only and rewritten on every synth.
 */
export class ManagedTemplateFile extends FileBase {
  private readonly options: ManagedTemplateFileOptions;

  constructor(project: Project, filePath: string, options: ManagedTemplateFileOptions) {
    super(project, filePath, { readonly: true, marker: true });
    this.options = options;
  }

  protected synthesizeContent(): string {
    const header = `${headerLine(this.path, this.marker!)}\n`;
    return header + fillTemplate(readTemplate(this.options.template), this.options.values?.() ?? {});
  }
}

/** Replaces each `{{key}}` placeholder; a placeholder without a value is an error in the package. */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{([a-z]+)\}\}/g, (placeholder, key: string) => {
    if (!(key in values)) throw new Error(`Template placeholder ${placeholder} has no value.`);
    return values[key];
  });
}
