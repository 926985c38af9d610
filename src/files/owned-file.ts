import * as fs from 'fs';
import * as path from 'path';
import { Component, type Project } from 'projen';
import type { ClientState } from './client-state';

/**
 * A file the user owns: written once, when it is missing and no earlier synth
 * wrote it, and never touched again. Unlike projen's `SampleFile`, a file the
 * team deleted on purpose (say, the example migration) does not come back.
 */
export class OwnedFile extends Component {
  private readonly filePath: string;
  private readonly contents: () => string;
  private readonly shouldWrite: boolean;

  constructor(project: Project, filePath: string, contents: () => string, state: ClientState) {
    super(project);
    this.filePath = filePath;
    this.contents = contents;
    // Decided now, because the state file is rendered before this component
    // synthesizes.
    this.shouldWrite = !state.wasWritten(filePath) && !fs.existsSync(path.join(project.outdir, filePath));
    state.recordWritten(filePath);
  }

  public synthesize(): void {
    if (!this.shouldWrite) return;
    const file = path.join(this.project.outdir, this.filePath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, this.contents());
  }
}
