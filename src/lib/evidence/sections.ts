import { ConfigurationError } from '../errors.js';

/**
 * The day's status file is shared: Integration Day, the morning pulse and the daily wrap each own
 * one marked section of it, and whatever a person writes outside the sections is kept. A file
 * without any section was written by a person and is never replaced. Pure.
 */
export const begin = (name: string) => `<!-- command-center:begin ${name} -->`;
export const end = (name: string) => `<!-- command-center:end ${name} -->`;

const MARKER = /^<!-- command-center:(begin|end) ([a-z0-9-]+) -->$/;

/** The status file was not written by the command center: it is left as it is. */
export class NotOursError extends ConfigurationError {}

interface Block {
  /** The section's name, or undefined for text outside every section. */
  section?: string;
  lines: string[];
}

function parse(text: string, file: string): Block[] {
  const blocks: Block[] = [{ lines: [] }];
  let open: string | undefined;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const m = MARKER.exec(line.trim());
    if (!m) {
      blocks[blocks.length - 1]!.lines.push(line);
      continue;
    }
    const [, kind, name] = m;
    if (kind === 'begin') {
      if (open) throw new NotOursError(`${file}: section ${open} is not closed before ${name} begins`);
      open = name;
      blocks.push({ section: name, lines: [] });
    } else {
      if (open !== name)
        throw new NotOursError(
          `${file}: a section ends (${name}) that was not begun${open ? ` (${open} is open)` : ''}`,
        );
      open = undefined;
      blocks.push({ lines: [] });
    }
  }
  if (open) throw new NotOursError(`${file}: section ${open} is never closed`);
  return blocks;
}

/** Sections of a status file, by name (for tests and readers). */
export function sectionsOf(text: string, file = 'status file'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const b of parse(text, file)) if (b.section) out[b.section] = b.lines.join('\n');
  return out;
}

/**
 * The file with section `name` set to `content`: replaced where it is, or added after the last
 * section; everything else stays as it was. `legacy` recognises a whole file an earlier version
 * generated before sections existed (it is replaced whole).
 */
export function withSection(
  existing: string | undefined,
  name: string,
  content: string,
  opts: { file: string; legacy?: (text: string) => boolean },
): string {
  const body = content.replace(/\n+$/, '');
  const wrapped = [begin(name), body, end(name)];
  if (existing === undefined || existing.trim() === '' || opts.legacy?.(existing))
    return `${wrapped.join('\n')}\n`;
  const blocks = parse(existing, opts.file);
  if (!blocks.some((b) => b.section)) {
    throw new NotOursError(
      `${opts.file} already exists and was not written by the command center (it has no generated section); ` +
        'it was left as it is and nothing was written. Rename or move it, or add the section markers ' +
        `${begin(name)} … ${end(name)} where the generated part may go.`,
    );
  }
  const at = blocks.findIndex((b) => b.section === name);
  if (at >= 0) {
    blocks[at] = { section: name, lines: [body] };
  } else {
    const lastSection = blocks.map((b) => Boolean(b.section)).lastIndexOf(true);
    blocks.splice(lastSection + 1, 0, { lines: [''] }, { section: name, lines: [body] });
  }
  const out: string[] = [];
  for (const b of blocks) {
    if (b.section) out.push(begin(b.section), ...b.lines, end(b.section));
    else out.push(...b.lines);
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
