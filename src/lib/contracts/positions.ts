import { EVENT_ID, getScalarValue, type Event } from 'js-yaml';
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node as YamlNode,
} from 'yaml';
import { segments } from './pointer.js';

/**
 * Finds the line of a JSON pointer in a JSON or YAML text. Built lazily: most documents in a diff
 * never need a line, and parsing YAML with positions costs far more than parsing its values.
 */
export interface Locator {
  /** 1-based line of the key (or array item) the pointer names; the nearest existing ancestor otherwise. */
  line(pointer: string): number;
}

export function locatorFor(text: string, format: 'json' | 'yaml', events?: Event[]): Locator {
  let built: Locator | undefined;
  return {
    line(pointer) {
      built ??=
        format === 'json'
          ? (jsonLocator(text) ?? yamlLocator(text))
          : ((events && eventsLocator(text, events)) ?? yamlLocator(text));
      return built.line(pointer);
    },
  };
}

/** 1-based line of a character offset, by binary search over the line starts. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Lines from the YAML parser's event stream (js-yaml reports source offsets for every scalar and
 * collection): one pass, no document tree. Returns undefined for what it does not map (a collection
 * used as a mapping key), and the full YAML parser takes over.
 */
export function eventsLocator(text: string, events: readonly Event[]): Locator | undefined {
  const lines = new Map<string, number>([['', 1]]);
  const lineOf = lineIndex(text);
  type Frame = { pointer: string; seq: boolean; index: number; key: string | undefined };
  const stack: Frame[] = [];
  let documents = 0;
  const childPointer = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    return top.seq ? `${top.pointer}/${top.index}` : `${top.pointer}/${escapeKey(top.key ?? '')}`;
  };
  const advance = () => {
    const top = stack[stack.length - 1];
    if (!top) return;
    if (top.seq) top.index++;
    else top.key = undefined;
  };
  const expectingKey = () => {
    const top = stack[stack.length - 1];
    return top !== undefined && !top.seq && top.key === undefined;
  };
  for (const ev of events) {
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1) return fromMap(lines);
        stack.length = 0;
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (expectingKey()) return undefined;
        const p = childPointer();
        if (stack.length > 0 && stack[stack.length - 1]!.seq) lines.set(p, lineOf(ev.start));
        stack.push({ pointer: p, seq: ev.type === EVENT_ID.SEQUENCE, index: 0, key: undefined });
        break;
      }
      case EVENT_ID.SCALAR:
        if (expectingKey()) {
          const top = stack[stack.length - 1]!;
          top.key = getScalarValue(text, ev);
          lines.set(`${top.pointer}/${escapeKey(top.key)}`, lineOf(ev.valueStart));
        } else {
          if (stack.length > 0 && stack[stack.length - 1]!.seq)
            lines.set(childPointer(), lineOf(ev.valueStart));
          advance();
        }
        break;
      case EVENT_ID.ALIAS:
        if (expectingKey()) return undefined;
        if (stack.length > 0 && stack[stack.length - 1]!.seq)
          lines.set(childPointer(), lineOf(ev.anchorStart));
        advance();
        break;
      case EVENT_ID.POP:
        if (stack.length === 0) break; // end of a document
        stack.pop();
        advance();
        break;
    }
  }
  return fromMap(lines);
}

function escapeKey(key: string): string {
  return key.includes('/') || key.includes('~') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
}

/** Nearest-ancestor lookup over a pointer → line map. */
function fromMap(lines: Map<string, number>): Locator {
  return {
    line(pointer) {
      let p = pointer;
      for (;;) {
        const hit = lines.get(p);
        if (hit !== undefined) return hit;
        if (p === '') return 1;
        p = p.slice(0, p.lastIndexOf('/'));
      }
    },
  };
}

/**
 * One pass over JSON text recording the line of every key and array item. JSON has no aliases or
 * block scalars, so a tokenizer that skips strings is exact; returns undefined on anything that is
 * not plain JSON (then the YAML parser, which reads JSON too, takes over).
 */
export function jsonLocator(text: string): Locator | undefined {
  const lines = new Map<string, number>([['', 1]]);
  // Stack of containers: for objects the pending key, for arrays the next index.
  const stack: { pointer: string; array: boolean; index: number; key?: string }[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  const valueStart = () => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.array) {
      const p = `${top.pointer}/${top.index}`;
      lines.set(p, line);
      return p;
    }
    return top.key === undefined ? top.pointer : `${top.pointer}/${top.key}`;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 44 || c === 58) {
      i++;
      continue;
    }
    if (c === 123 || c === 91) {
      // { [
      const p = valueStart();
      stack.push({ pointer: p, array: c === 91, index: 0 });
      i++;
      continue;
    }
    if (c === 125 || c === 93) {
      // } ]
      stack.pop();
      const top = stack[stack.length - 1];
      if (top) {
        if (top.array) top.index++;
        else top.key = undefined;
      }
      i++;
      continue;
    }
    if (c === 34) {
      // string
      let j = i + 1;
      let escaped = false;
      for (;;) {
        if (j >= n) return undefined;
        const d = text.charCodeAt(j);
        if (d === 92) {
          escaped = true;
          j += 2;
          continue;
        }
        if (d === 34) break;
        if (d === 10) return undefined;
        j++;
      }
      const top = stack[stack.length - 1];
      if (top && !top.array && top.key === undefined) {
        // A key when the next non-space character is ':'.
        let k = j + 1;
        let e = text.charCodeAt(k);
        while (e === 32 || e === 9 || e === 13 || e === 10) e = text.charCodeAt(++k);
        if (e === 58) {
          const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
          top.key =
            key.includes('/') || key.includes('~') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
          lines.set(`${top.pointer}/${top.key}`, line);
          i = j + 1;
          continue;
        }
      }
      if (top?.array) valueStart();
      afterScalar(stack);
      i = j + 1;
      continue;
    }
    // number, true, false, null
    if (c === 45 || (c >= 48 && c <= 57) || c === 116 || c === 102 || c === 110) {
      const top = stack[stack.length - 1];
      if (top?.array) valueStart();
      afterScalar(stack);
      i++;
      for (;;) {
        const d = text.charCodeAt(i);
        // digits, sign, dot, exponent and the letters of true/false/null
        if ((d >= 48 && d <= 57) || d === 43 || d === 45 || d === 46 || (d >= 97 && d <= 122) || d === 69)
          i++;
        else break;
      }
      continue;
    }
    return undefined;
  }
  return fromMap(lines);
}

function afterScalar(stack: { array: boolean; index: number; key?: string }[]): void {
  const top = stack[stack.length - 1];
  if (!top) return;
  if (top.array) top.index++;
  else top.key = undefined;
}

export function yamlLocator(text: string): Locator {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : counter.linePos(offset).line);
  return {
    line(pointer) {
      let node: unknown = doc.contents;
      let line = lineOf((node as YamlNode | null)?.range?.[0]);
      for (const key of segments(pointer)) {
        if (isAlias(node)) node = node.resolve(doc);
        if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
          if (!pair) return line;
          line = lineOf((pair.key as YamlNode).range?.[0]);
          node = pair.value;
        } else if (isSeq(node)) {
          const item = node.items[Number(key)] as YamlNode | undefined;
          if (!item) return line;
          line = lineOf(item.range?.[0]);
          node = item;
        } else {
          return line;
        }
      }
      return line;
    },
  };
}
