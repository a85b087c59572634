import { posix } from 'node:path';

/** GitHub rejects a step summary over 1 MiB whole (it is not truncated), so stay well under it. */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;
export const STEP_SUMMARY_BUDGET_BYTES = 1_000_000;

/**
 * Fits markdown into `budget` bytes. Cuts at the last line break that fits and appends a note
 * saying where the full content is, so a reader knows the summary is partial.
 */
export function fitToBudget(
  markdown: string,
  budget = STEP_SUMMARY_BUDGET_BYTES,
  fullContentAt?: string,
): string {
  const bytes = Buffer.byteLength(markdown, 'utf8');
  if (bytes <= budget) return markdown;
  const note = `\n\n> **Summary truncated**: ${bytes} bytes exceed the ${budget}-byte step summary budget.${fullContentAt ? ` The full report is in \`${fullContentAt}\`.` : ''}\n`;
  // Room for the note and for a closing fence, should the cut land inside a code block.
  const room = budget - Buffer.byteLength(note, 'utf8') - '\n```'.length;
  // Cut by bytes, then back off to a line boundary so tables and code fences are not split mid-row.
  let cut = Buffer.from(markdown, 'utf8').subarray(0, Math.max(0, room)).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  const lastBreak = cut.lastIndexOf('\n');
  if (lastBreak > 0) cut = cut.slice(0, lastBreak);
  const fences = (cut.match(/^```/gm) ?? []).length;
  return `${cut}${fences % 2 === 1 ? '\n```' : ''}${note}`;
}

/** Escapes text for a Markdown table cell (pipes and line breaks would break the row). */
export function cell(text: string | number | boolean | undefined | null): string {
  if (text === undefined || text === null) return '';
  return String(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function table(headers: string[], rows: (string | number | boolean | undefined | null)[][]): string {
  const head = `| ${headers.map(cell).join(' | ')} |`;
  const sep = `| ${headers.map(() => '---').join(' | ')} |`;
  const body = rows.map((r) => `| ${r.map(cell).join(' | ')} |`);
  return [head, sep, ...body].join('\n');
}

/**
 * Text that must stay text (a file name, quoted output): the characters that make links, images,
 * HTML or code become character references, which survive table-cell escaping and render as
 * themselves, so a name such as `[x](https:evil.com)` is never a link.
 */
export function linkText(text: string): string {
  return text.replace(/[\\`[\]()<>|]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\r\n]+/g, ' ');
}

/** A relative path as a link target: every character that could end or bend the link is encoded. */
export function linkTarget(path: string): string {
  return path
    .split('/')
    .map((s) =>
      encodeURIComponent(s).replace(/[()'*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}

/**
 * A runbook link from a repository file: URLs and `#anchors` as they are, repository paths
 * (docs/runbooks/...) relative to the file's folder so the link works wherever the file is read.
 */
export function runbookLink(fromFile: string, runbook: string, text = 'runbook'): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(runbook) || runbook.startsWith('#')) return `[${text}](${runbook})`;
  return `[${text}](${encodeURI(posix.relative(posix.dirname(fromFile), runbook.replace(/^\.?\//, '')))})`;
}

/** A short name for a runbook link: the file's name and its anchor (`kill-switch#redis`). */
export function runbookName(runbook: string): string {
  const [path, anchor] = runbook.split('#', 2) as [string, string | undefined];
  const file = path.split('/').pop()?.replace(/\.md$/, '') || 'runbook';
  return anchor ? `${file}#${anchor}` : file;
}
