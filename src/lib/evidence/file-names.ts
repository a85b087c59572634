/**
 * Names of collected files as they are archived. A name may hold anything a file system allows:
 * line breaks (which would split the index and the commit listing), other control characters, or
 * bytes that are not UTF-8 (which no JSON, Markdown or git path shows faithfully). Such bytes are
 * written as `%XX`, and so is `%` itself in every name, so two different names never archive under
 * the same one. Pure.
 */
export interface ArchivedName {
  /** The name to archive under (forward slashes kept). */
  path: string;
  /** The name as a reader sees it in notes (the escaped form when it had to be escaped). */
  shown: string;
  /** Why the name was changed, when it was for more than a `%`. */
  note?: string;
}

const strict = new TextDecoder('utf-8', { fatal: true });

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

const hex = (b: number) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`;

export function archivedName(name: string | Uint8Array): ArchivedName {
  const bytes = typeof name === 'string' ? Buffer.from(name, 'utf8') : Buffer.from(name);
  let out = '';
  let control = false;
  let invalid = false;
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes[i]!);
    let char: string | undefined;
    if (n > 0 && i + n <= bytes.length) {
      try {
        char = strict.decode(bytes.subarray(i, i + n));
      } catch {
        char = undefined;
      }
    }
    if (char === undefined) {
      invalid = true;
      out += hex(bytes[i]!);
      i += 1;
      continue;
    }
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f || char === '%') {
      if (char !== '%') control = true;
      out += hex(code);
    } else {
      out += char;
    }
    i += n;
  }
  const why = [
    control ? 'has a line break or another control character' : '',
    invalid ? 'is not valid UTF-8' : '',
  ].filter(Boolean);
  return {
    path: out,
    shown: out,
    ...(why.length ? { note: `archived as ${JSON.stringify(out)}: its name ${why.join(' and ')}` } : {}),
  };
}
