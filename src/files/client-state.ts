import * as fs from 'fs';
import * as path from 'path';
import { Component, JsonFile, type Project } from 'projen';

/** Record the project type keeps between synths of a client repo. */
export const STATE_FILE = '.projen/gcp-app.json';

interface StateRecord {
  /** Owned files written once; a deleted one stays deleted. */
  readonly ownedFiles?: string[];
  /** Notices already shown to the user. */
  readonly noticesShown?: string[];
}

/**
 * The record of owned files already written and notices already shown. It is
 * read when the project is constructed and written back, sorted, at synth.
 */
export class ClientState extends Component {
  private readonly ownedFiles: Set<string>;
  private readonly noticesShown: Set<string>;

  constructor(project: Project) {
    super(project);
    const previous = readState(project.outdir);
    this.ownedFiles = new Set(previous.ownedFiles ?? []);
    this.noticesShown = new Set(previous.noticesShown ?? []);

    new JsonFile(project, STATE_FILE, {
      obj: {
        ownedFiles: () => [...this.ownedFiles].sort(),
        noticesShown: () => [...this.noticesShown].sort(),
      },
    });
  }

  /** Returns whether an earlier synth wrote the owned file. */
  public wasWritten(file: string): boolean {
    return this.ownedFiles.has(file);
  }

  public recordWritten(file: string): void {
    this.ownedFiles.add(file);
  }

  public wasShown(notice: string): boolean {
    return this.noticesShown.has(notice);
  }

  public recordShown(notice: string): void {
    this.noticesShown.add(notice);
  }
}

function readState(outdir: string): StateRecord {
  try {
    return JSON.parse(fs.readFileSync(path.join(outdir, STATE_FILE), 'utf-8'));
  } catch {
    return {};
  }
}
