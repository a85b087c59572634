import { resolve } from 'node:path';
import { ConfigurationError } from '../errors.js';
import { diffAsyncApi } from './asyncapi-diff.js';
import { ChangeCollector, sortChanges, type Change } from './change.js';
import { describeDocument, type DocumentInfo } from './kind.js';
import { diffOpenApi } from './openapi-diff.js';
import { loadSpecSet, localReader, type LoadOptions, type SpecSet } from './refs.js';
import { SchemaDiffer } from './schema-diff.js';
import { ViewBuilder } from './schema-view.js';
import { specFile } from './source.js';

export interface Contract {
  set: SpecSet;
  info: DocumentInfo;
}

/** Reads a contract document and everything its `$ref`s reach. `name` is how reports show it. */
export async function loadContract(
  name: string,
  location: string,
  opts: LoadOptions & { text?: string } = {},
): Promise<Contract> {
  const abs = resolve(location);
  let text = opts.text;
  if (text === undefined) {
    try {
      text = await (opts.readLocal ?? localReader(opts.root))(abs);
    } catch (err) {
      if (err instanceof ConfigurationError) throw new ConfigurationError(`${name}: ${err.message}`);
      throw new ConfigurationError(`${name} cannot be read: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const entry = specFile(name, abs, text);
  const info = describeDocument(entry.value, name);
  return { set: await loadSpecSet(entry, opts), info };
}

/**
 * Every change from `base` (what was recorded) to `revision` (what is declared), classified by rule
 * id and level, located in the revision's files. Breaking changes come first.
 */
export function diffContracts(base: Contract, revision: Contract): Change[] {
  if (base.info.kind !== revision.info.kind) {
    throw new ConfigurationError(
      `${revision.set.entry.name} is ${revision.info.kind} but ${base.set.entry.name} is ${base.info.kind}; only contracts of one kind can be compared`,
    );
  }
  const out = new ChangeCollector();
  const differ = new SchemaDiffer(new ViewBuilder(base.set), new ViewBuilder(revision.set));
  if (revision.info.kind === 'openapi') diffOpenApi(base.set, revision.set, differ, out);
  else if (revision.info.kind === 'asyncapi') diffAsyncApi(base.set, revision.set, differ, out);
  else {
    // A standalone JSON Schema describes data its readers consume (a topic's messages, a file): response semantics.
    const b = base.set.entry;
    const r = revision.set.entry;
    out.addSchema(
      differ.compare(
        { file: b, pointer: '', raw: b.value },
        { file: r, pointer: '', raw: r.value },
        'response',
        'schema',
      ),
      undefined,
      '',
    );
  }
  return sortChanges(out.changes);
}

export type Verdict = 'breaking' | 'non-breaking' | 'informational' | 'none';

export function verdictOf(changes: readonly Change[]): Verdict {
  if (changes.some((c) => c.level === 'breaking')) return 'breaking';
  if (changes.some((c) => c.level === 'non-breaking')) return 'non-breaking';
  return changes.length > 0 ? 'informational' : 'none';
}
