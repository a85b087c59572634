import { createTwoFilesPatch } from 'diff';
import { parseAllDocuments, stringify } from 'yaml';

export interface ObjectChange {
  object: string;
  /** `renamed`: replaces `from` (a Job named after the revision, say); `runs`: an unchanged hook that runs again. */
  change: 'added' | 'removed' | 'changed' | 'renamed' | 'runs';
  from?: string;
  /** For a Helm hook: the events it runs on. */
  hook?: string[];
  patch: string;
}

/** What a revision renders: its manifest and its hooks (which Helm keeps out of the manifest). */
export interface RenderedRelease {
  manifest: string;
  hooks: { manifest: string; events: string[] }[];
}

/**
 * Object-by-object diff of two rendered manifests. Secret values are replaced before diffing,
 * so neither the summary nor the evidence ever shows them.
 */
export function diffManifests(deployed: string, proposed: string, defaultNamespace: string): ObjectChange[] {
  return diffIndexes(
    indexObjects(deployed, defaultNamespace),
    indexObjects(proposed, defaultNamespace, deployed),
  );
}

/**
 * The change a deploy makes, from Helm's renderings of the deployed revision and of the next one:
 * objects added, removed, changed or renamed, and the hooks this operation runs (`runHooksOn`:
 * its events), which Helm creates anew even when unchanged.
 */
export function diffRelease(
  deployed: RenderedRelease | undefined,
  proposed: RenderedRelease,
  runHooksOn: string[],
  defaultNamespace: string,
): ObjectChange[] {
  const objects = pairRenames(
    diffManifests(deployed?.manifest ?? '', proposed.manifest, defaultNamespace),
    deployed?.manifest ?? '',
    proposed.manifest,
    defaultNamespace,
  );
  const before = hookIndex(deployed?.hooks ?? [], defaultNamespace);
  const after = hookIndex(proposed.hooks, defaultNamespace);
  const hooks = diffIndexes(
    new Map([...before].map(([k, v]) => [k, v.text])),
    new Map([...after].map(([k, v]) => [k, v.text])),
  ).map((c) => ({ ...c, hook: (after.get(c.object) ?? before.get(c.object))!.events }));
  for (const [key, h] of after) {
    if (before.get(key)?.text === h.text && h.events.some((e) => runHooksOn.includes(e))) {
      hooks.push({ object: key, change: 'runs', hook: h.events, patch: '' });
    }
  }
  return [...objects, ...hooks.sort((a, b) => a.object.localeCompare(b.object))];
}

function diffIndexes(before: Map<string, string>, after: Map<string, string>): ObjectChange[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: ObjectChange[] = [];
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    if (a === b) continue;
    const change = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    out.push({ object: key, change, patch: patchOf(key, key, a ?? '', b ?? '') });
  }
  return out;
}

function patchOf(fromKey: string, toKey: string, a: string, b: string): string {
  const patch = createTwoFilesPatch(`deployed/${fromKey}`, `proposed/${toKey}`, a, b, undefined, undefined, {
    context: 3,
  });
  return patch.split('\n').slice(2).join('\n');
}

/**
 * A removed and an added object of the same kind and namespace whose names differ only in their
 * numbers (`app-migrate-1` → `app-migrate-2`) are one object renamed: shown as one change, with the
 * difference between the two.
 */
function pairRenames(
  changes: ObjectChange[],
  deployed: string,
  proposed: string,
  defaultNamespace: string,
): ObjectChange[] {
  const shape = (key: string) => key.replace(/\d+/g, '#');
  const removed = changes.filter((c) => c.change === 'removed');
  const added = changes.filter((c) => c.change === 'added');
  const pairs = new Map<ObjectChange, ObjectChange>();
  for (const a of added) {
    const candidates = removed.filter((r) => shape(r.object) === shape(a.object));
    const rivals = added.filter((x) => shape(x.object) === shape(a.object));
    if (candidates.length === 1 && rivals.length === 1) pairs.set(a, candidates[0]!);
  }
  if (!pairs.size) return changes;
  const before = indexObjects(deployed, defaultNamespace);
  const after = indexObjects(proposed, defaultNamespace, deployed);
  const paired = new Set(pairs.values());
  return changes
    .filter((c) => !paired.has(c))
    .map((c) => {
      const old = pairs.get(c);
      if (!old) return c;
      return {
        object: c.object,
        change: 'renamed',
        from: old.object,
        patch: patchOf(old.object, c.object, before.get(old.object) ?? '', after.get(c.object) ?? ''),
      };
    });
}

function hookIndex(
  hooks: RenderedRelease['hooks'],
  defaultNamespace: string,
): Map<string, { text: string; events: string[] }> {
  const out = new Map<string, { text: string; events: string[] }>();
  for (const h of hooks)
    for (const [key, text] of indexObjects(h.manifest, defaultNamespace))
      out.set(key, { text, events: h.events });
  return out;
}

/**
 * Each object of a manifest by `Kind/namespace/name`, as sorted YAML. A Secret's values are
 * replaced by a note; on the proposed side (`other`: the deployed manifest) the note says which
 * values changed, so a changed Secret still shows as changed without showing a value.
 */
function indexObjects(manifest: string, defaultNamespace: string, other?: string): Map<string, string> {
  const others = other === undefined ? undefined : parsedObjects(other, defaultNamespace);
  const out = new Map<string, string>();
  for (const [key, obj] of parsedObjects(manifest, defaultNamespace)) {
    if (obj.kind === 'Secret') redactSecret(obj, others?.get(key));
    out.set(key, stringify(obj, { sortMapEntries: true, lineWidth: 0 }));
  }
  return out;
}

function parsedObjects(manifest: string, defaultNamespace: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const doc of parseAllDocuments(manifest)) {
    const obj = doc.toJS() as Record<string, unknown> | null;
    if (!obj || typeof obj !== 'object') continue;
    const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
    if (!obj.kind || !meta.name) continue;
    out.set(`${String(obj.kind)}/${meta.namespace ?? defaultNamespace}/${meta.name}`, obj);
  }
  return out;
}

function redactSecret(obj: Record<string, unknown>, other: Record<string, unknown> | undefined): void {
  for (const field of ['data', 'stringData']) {
    const values = obj[field] as Record<string, unknown> | undefined;
    const theirs = other?.[field] as Record<string, unknown> | undefined;
    if (!values || typeof values !== 'object') continue;
    for (const k of Object.keys(values)) {
      const differs = theirs !== undefined && theirs[k] !== undefined && theirs[k] !== values[k];
      values[k] = differs ? '*** (secret value not shown; changed)' : '*** (secret value not shown)';
    }
  }
}
