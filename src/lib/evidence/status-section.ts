import { readFile } from 'node:fs/promises';
import { writeTextFile } from '../files.js';
import { commitBack, type CommitBackResult } from '../git/index.js';
import { refuseSymlinks } from '../owned-paths.js';
import { withSection } from './sections.js';

export interface StatusSectionWrite {
  /** The repository checkout (the workspace). */
  repoDir: string;
  /** The status file, absolute and repository-relative. */
  file: string;
  fileRel: string;
  /** The section this writer owns (`infra-pulse`, `daily-wrap`). */
  section: string;
  content: string;
  commit?: { branch: string; message: string; pushAttempts: number };
  tempDir?: string;
  log?: (line: string) => void;
}

/**
 * Writes one writer's section of the day's status file in the checkout and, when asked, commits it
 * back. The commit renders the file again from the branch's own copy at every push attempt
 * (commit-back's `renders`), so a section another writer pushed meanwhile is kept as it is and never
 * merged by hand; a file a person wrote (no sections) is refused, never replaced.
 */
export async function writeStatusSection(w: StatusSectionWrite): Promise<CommitBackResult | undefined> {
  await refuseSymlinks(w.repoDir, w.fileRel, 'status file');
  const render = (existing: string | undefined) =>
    withSection(existing, w.section, w.content, { file: w.fileRel });
  const existing = await readFile(w.file, 'utf8').catch(() => undefined);
  await writeTextFile(w.file, render(existing));
  if (!w.commit) return undefined;
  return commitBack({
    repoDir: w.repoDir,
    branch: w.commit.branch,
    message: w.commit.message,
    pushAttempts: w.commit.pushAttempts,
    paths: [],
    renders: [{ path: w.fileRel, render }],
    ...(w.tempDir ? { tempDir: w.tempDir } : {}),
    ...(w.log ? { log: w.log } : {}),
  });
}
