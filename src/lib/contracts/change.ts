import { levelOf, type Direction, type Level } from './rules.js';
import type { Place, SchemaChange } from './schema-diff.js';

/** One classified difference between a base contract (recorded) and a revision (declared). */
export interface Change {
  rule: string;
  level: Level;
  direction?: Direction;
  message: string;
  /** The revision document the change is in, as the user named it, and where. */
  file: string;
  pointer: string;
  line: number;
  /** `GET /users/{id}`, `send policy.decisions`, … */
  operation?: string;
  /** Where inside the operation: `request body application/json › user.name`. */
  field?: string;
  /** Where it was in the base document. */
  base?: { file: string; pointer: string };
}

/** Turns places into file names and lines as changes are reported (lines are looked up once per place). */
export class ChangeCollector {
  readonly changes: Change[] = [];

  add(
    rule: string,
    direction: Direction | undefined,
    message: string,
    at: Place,
    extra: { operation?: string; field?: string; was?: Place } = {},
  ): void {
    this.changes.push({
      rule,
      level: levelOf(rule, direction),
      ...(direction ? { direction } : {}),
      message,
      file: at.file.name,
      pointer: at.pointer,
      line: at.file.line(at.pointer),
      ...(extra.operation ? { operation: extra.operation } : {}),
      ...(extra.field ? { field: extra.field } : {}),
      ...(extra.was ? { base: { file: extra.was.file.name, pointer: extra.was.pointer } } : {}),
    });
  }

  addSchema(changes: readonly SchemaChange[], operation: string | undefined, where: string): void {
    for (const c of changes) {
      const field = c.field ? `${where}${where ? ' › ' : ''}${c.field}` : where;
      this.add(c.rule, c.direction, `${field || 'schema'}: ${c.detail}`, c.at, {
        ...(operation ? { operation } : {}),
        ...(field ? { field } : {}),
        ...(c.was ? { was: c.was } : {}),
      });
    }
  }
}

const ORDER: Record<Level, number> = { breaking: 0, 'non-breaking': 1, informational: 2 };

/** Breaking first, then by file and line, so reports read top to bottom. */
export function sortChanges(changes: Change[]): Change[] {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return changes.sort(
    (a, b) =>
      ORDER[a.level] - ORDER[b.level] ||
      cmp(a.file, b.file) ||
      a.line - b.line ||
      cmp(a.rule, b.rule) ||
      cmp(a.operation ?? '', b.operation ?? ''),
  );
}
