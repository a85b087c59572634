import { createTwoFilesPatch } from 'diff';
import { parseAllDocuments, stringify } from 'yaml';

export interface ObjectChange {
  object: string;
  change: 'added' | 'removed' | 'changed';
  patch: string;
}

/**
 * Object-by-object diff of two rendered manifests. Secret values are replaced before diffing,
 * so neither the summary nor the evidence ever shows them.
 */
export function diffManifests(deployed: string, proposed: string, defaultNamespace: string): ObjectChange[] {
  const before = indexObjects(deployed, defaultNamespace);
  const after = indexObjects(proposed, defaultNamespace);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: ObjectChange[] = [];
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    if (a === b) continue;
    const change = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    const patch = createTwoFilesPatch(`deployed/${key}`, `proposed/${key}`, a ?? '', b ?? '', undefined, undefined, { context: 3 });
    out.push({ object: key, change, patch: patch.split('\n').slice(2).join('\n') });
  }
  return out;
}

function indexObjects(manifest: string, defaultNamespace: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const doc of parseAllDocuments(manifest)) {
    const obj = doc.toJS() as Record<string, unknown> | null;
    if (!obj || typeof obj !== 'object') continue;
    const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
    if (!obj.kind || !meta.name) continue;
    if (obj.kind === 'Secret') redactSecret(obj);
    out.set(`${String(obj.kind)}/${meta.namespace ?? defaultNamespace}/${meta.name}`, stringify(obj, { sortMapEntries: true, lineWidth: 0 }));
  }
  return out;
}

function redactSecret(obj: Record<string, unknown>): void {
  for (const field of ['data', 'stringData']) {
    const values = obj[field] as Record<string, unknown> | undefined;
    if (values && typeof values === 'object') for (const k of Object.keys(values)) values[k] = '*** (secret value not shown)';
  }
}
