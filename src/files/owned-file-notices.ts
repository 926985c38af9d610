import * as fs from 'fs';
import * as path from 'path';
import { Component, type Project } from 'projen';
import { STATE_FILE, type ClientState } from './client-state';
import { type OwnedFileNotice, readManifest } from './manifest';

/**
 * Tells the user, once, about changes a new version of the package needs in
 * files the user owns. Those files are never rewritten, so the user makes
 * the change. A notice stays quiet once the file contains the expected text
 * or once it was shown.
 */
export class OwnedFileNotices extends Component {
  private readonly pending: OwnedFileNotice[];

  constructor(project: Project, state: ClientState) {
    super(project);
    this.pending = readManifest().notices.filter(
      (notice) => !state.wasShown(notice.id) && needsChange(project.outdir, notice),
    );
    for (const notice of this.pending) state.recordShown(notice.id);
  }

  public synthesize(): void {
    for (const notice of this.pending) {
      this.project.logger.warn(
        `${notice.file} needs a change for this version of projen-gcp-app: ${notice.message} ` +
          `This is shown once; ${STATE_FILE} records it.`,
      );
    }
  }
}

/** Returns whether the file exists and lacks the expected text. A missing file is written fresh, so it needs no notice. */
function needsChange(outdir: string, notice: OwnedFileNotice): boolean {
  const file = path.join(outdir, notice.file);
  return fs.existsSync(file) && !fs.readFileSync(file, 'utf-8').includes(notice.expect);
}
