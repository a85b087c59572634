/** JSON pointers (RFC 6901): how every finding says where in a document it is. */

export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function child(pointer: string, ...segments: (string | number)[]): string {
  let out = pointer;
  for (const s of segments) out += `/${escapeSegment(s)}`;
  return out;
}

export function segments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map(unescapeSegment);
}

export function parent(pointer: string): string {
  const i = pointer.lastIndexOf('/');
  return i <= 0 ? '' : pointer.slice(0, i);
}

/** The value at `pointer`, or undefined when any step is missing. */
export function get(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const key of segments(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(key)) return undefined;
      cur = cur[Number(key)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
  }
  return cur;
}

/** True when `prefix` is `pointer` or one of its ancestors (segment-wise, so /a/b does not cover /a/bc). */
export function covers(prefix: string, pointer: string): boolean {
  return pointer === prefix || pointer.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}
