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
 * The line comment of a file's language, for the generated-file header.
 * Mako's `##` lines are template comments, so the header does not reach the
 * migrations Alembic writes from `script.py.mako`.
 */
function commentPrefix(filePath: string): string {
  if (filePath.endsWith('.mako')) return '##';
  return '#';
}

export interface ManagedTemplateFileOptions {
  /** Path of the template, relative to the package's `templates` folder. */
  readonly template: string;
}

/**
 * A text file copied from a package template, marked as generated, made
 * read-only and rewritten on every synth.
 */
export class ManagedTemplateFile extends FileBase {
  private readonly template: string;

  constructor(project: Project, filePath: string, options: ManagedTemplateFileOptions) {
    super(project, filePath, { readonly: true, marker: true });
    this.template = options.template;
  }

  protected synthesizeContent(): string {
    const header = `${commentPrefix(this.path)} ${this.marker}\n`;
    return header + readTemplate(this.template);
  }
}
