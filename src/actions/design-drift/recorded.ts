import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ConfigurationError } from '../../lib/errors.js';
import { realPathInside } from '../../lib/real-path.js';
import { loadContract, type Contract } from '../../lib/contracts/diff.js';
import {
  newestRecording,
  newestRecordingAt,
  recordingAtRef,
  recordingInWorkingTree,
  type RecordingFiles,
} from '../../lib/contracts/recording.js';
import { CommittedTree } from '../../lib/git/committed-tree.js';
import { describeDocument } from '../../lib/contracts/kind.js';
import { parseSpecText } from '../../lib/contracts/source.js';
import type { DriftPlan } from './inputs.js';
import type { RecordingChange } from './sources.js';

const toPosix = (p: string) => p.split(sep).join('/');

/**
 * The recording the declared contracts are compared with. With a base ref, it is the base branch's
 * (its folder, index.json, files and their `$ref`s, as committed there): a pull request cannot choose
 * what it is compared with by adding or editing a recording. Without one (a push, a run by hand), the
 * working tree's, each file read by its real path inside the workspace.
 */
export async function openRecording(
  plan: DriftPlan,
  ws: string,
  pending: RecordingChange[] | undefined,
): Promise<RecordingFiles> {
  const r = plan.recording;
  const input = r.kind === 'folder' ? 'recorded' : 'contracts-root';
  if (plan.baseRef) {
    const tree = new CommittedTree(ws, plan.baseRef);
    const dir = r.kind === 'folder' ? r.path : await newestRecordingAt(tree, r.root);
    if (dir && (await tree.entry(dir))?.kind === 'folder') return recordingAtRef(tree, dir);
    const added = pending?.length
      ? `; this pull request's own changes there (${pending.length} file(s)) take effect after merge`
      : '';
    throw new ConfigurationError(
      r.kind === 'folder'
        ? `input 'recorded': the folder ${r.input} does not exist on the base ref ${plan.baseRef}${added}`
        : `no recording under ${r.input}/<yyyy-mm-dd>/ on the base ref ${plan.baseRef} (input '${input}')${added}; ` +
            'a pull request is compared with the recording of its base branch: record the contracts there first (contract-record)',
    );
  }
  const dir = r.kind === 'folder' ? r.path : await newestRecording(r.root);
  if (!dir || !existsSync(dir)) {
    throw new ConfigurationError(
      r.kind === 'folder'
        ? `input 'recorded': the folder ${r.input} does not exist`
        : `no recording under ${r.input}/<yyyy-mm-dd>/ (input 'contracts-root'); record the contracts with contract-record first`,
    );
  }
  await realPathInside(ws, dir, `input '${input}': the folder`);
  return recordingInWorkingTree(dir);
}

export async function loadRecording(
  ws: string,
  files: RecordingFiles,
  label: string,
  loadOpts: { allowExternalRefs: boolean },
  log: (line: string) => void,
): Promise<Contract[]> {
  const index = await files.index();
  if (index) {
    const tampered = await files.tampered(index);
    if (tampered.length > 0) {
      throw new ConfigurationError(
        `the recording ${label} does not match its index.json (edited by hand?): ${tampered.join(', ')}`,
      );
    }
  }
  const contractKinds = new Set(['openapi', 'asyncapi', 'json-schema']);
  const candidates = index
    ? index.files.filter((f) => contractKinds.has(f.kind)).map((f) => f.path)
    : await files.list();
  const out: Contract[] = [];
  for (const rel of candidates) {
    const abs = join(files.dir, rel);
    const name = toPosix(relative(ws, abs));
    const text = await files.readText(abs);
    if (!index) {
      // Without an index, anything that is not a contract (samples, notes) is skipped.
      try {
        describeDocument(parseSpecText(name, text), name);
      } catch {
        continue;
      }
    }
    const contract = await loadContract(name, abs, {
      ...loadOpts,
      root: files.dir,
      text,
      readLocal: files.readText,
    });
    out.push(contract);
    log(`recorded: ${name} (${contract.info.kind} ${contract.info.title ?? ''})`);
  }
  return out;
}
