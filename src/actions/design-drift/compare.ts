import { join } from 'node:path';
import { diffContracts, loadContract, type Contract } from '../../lib/contracts/diff.js';
import { pairContracts } from './match.js';
import { loadAtRef } from './sources.js';
import type { DocumentPair, Finding } from './report.js';

/**
 * Each declared contract against its recorded counterpart and, on a pull request, against itself on
 * the base ref: the findings, and which documents were paired with what.
 */
export async function compareDeclared(o: {
  ws: string;
  /** Workspace-relative paths of the declared contracts. */
  files: string[];
  recorded: Contract[];
  /** How the recording is named in messages. */
  recordedLabel: string;
  baseRef: string | undefined;
  loadOpts: { allowExternalRefs: boolean; root: string };
  log: (line: string) => void;
}): Promise<{ findings: Finding[]; documents: DocumentPair[] }> {
  const findings: Finding[] = [];
  const documents: DocumentPair[] = [];
  for (const rel of o.files) {
    const declared = await loadContract(rel, join(o.ws, rel), o.loadOpts);
    const [pair] = pairContracts([declared], o.recorded);
    const doc: DocumentPair = {
      declared: rel,
      kind: declared.info.kind,
      matchedBy: pair!.matchedBy,
      ...(pair!.recorded ? { recorded: pair!.recorded.set.entry.name } : {}),
    };
    if (pair!.recorded) {
      const changes = diffContracts(pair!.recorded, declared);
      for (const c of changes) findings.push({ ...c, against: 'recorded' });
      o.log(
        `${rel} vs ${pair!.recorded.set.entry.name}: ${changes.length} change(s), ${changes.filter((c) => c.level === 'breaking').length} breaking`,
      );
    } else {
      findings.push({
        rule: 'contract.document.unrecorded',
        level: 'informational',
        message: `${rel} (${declared.info.kind}${declared.info.title ? ` "${declared.info.title}"` : ''}) has no recorded counterpart in ${o.recordedLabel}`,
        file: rel,
        pointer: '',
        line: 1,
        against: 'recorded',
      });
      o.log(`${rel}: no recorded counterpart`);
    }
    if (o.baseRef) {
      const atBase = await loadAtRef(o.ws, o.baseRef, rel, o.loadOpts);
      if (atBase) {
        const changes = diffContracts(atBase, declared);
        for (const c of changes) findings.push({ ...c, against: 'base-ref' });
        doc.baseRef = 'compared';
        o.log(`${rel} vs ${o.baseRef}: ${changes.length} change(s)`);
      } else {
        doc.baseRef = 'absent';
      }
    }
    documents.push(doc);
  }
  return { findings, documents };
}
