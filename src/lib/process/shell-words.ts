/**
 * Splits a command line into argv the way a POSIX shell would, for running it without a shell.
 * Quoting and escaping work as in sh; anything that only a shell could honour (pipes, redirects,
 * `$` expansion, globs, `NAME=value` prefixes, comments, `~`) is refused with a reason, rather
 * than being passed on literally and failing in a confusing way later.
 */
export class ShellWordsError extends Error {
  override readonly name = 'ShellWordsError';
  constructor(
    readonly reason: string,
    readonly index: number,
  ) {
    super(reason);
  }
}

const OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')']);
const GLOBS = new Set(['*', '?', '[']);
const BLANK = new Set([' ', '\t', '\n', '\r']);
// In double quotes a backslash only escapes these; elsewhere it is kept literally (as sh does).
const DOUBLE_QUOTE_ESCAPABLE = new Set(['\\', '"', '$', '`', '\n']);

export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const needShell = (what: string, at: number) =>
    new ShellWordsError(
      `${what} at position ${at + 1} needs a shell: set \`shell: true\`, or quote it if it is meant literally`,
      at,
    );

  while (i < line.length) {
    const ch = line[i]!;
    if (BLANK.has(ch)) {
      if (inWord) {
        words.push(word);
        word = '';
        inWord = false;
      }
      i++;
      continue;
    }
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellWordsError(`unterminated single quote starting at position ${i + 1}`, i);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      i++;
      let closed = false;
      while (i < line.length) {
        const c = line[i]!;
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\\' && i + 1 < line.length && DOUBLE_QUOTE_ESCAPABLE.has(line[i + 1]!)) {
          if (line[i + 1] !== '\n') word += line[i + 1];
          i += 2;
          continue;
        }
        if (c === '$' || c === '`')
          throw needShell(c === '$' ? '`$` expansion' : 'command substitution (`)', i);
        word += c;
        i++;
      }
      if (!closed) throw new ShellWordsError('unterminated double quote', line.length - 1);
      inWord = true;
      continue;
    }
    if (ch === '\\') {
      if (i + 1 >= line.length) throw new ShellWordsError('the line ends with a lone backslash', i);
      // Backslash-newline continues the line; any other escaped character is taken literally.
      if (line[i + 1] !== '\n') {
        word += line[i + 1];
        inWord = true;
      }
      i += 2;
      continue;
    }
    if (ch === '`') throw needShell('command substitution (`)', i);
    if (OPERATORS.has(ch)) throw needShell(`the shell operator \`${ch}\``, i);
    if (ch === '$') throw needShell('`$` expansion', i);
    if (GLOBS.has(ch)) throw needShell(`the glob character \`${ch}\``, i);
    if (!inWord && ch === '#') throw needShell('a `#` comment', i);
    if (!inWord && ch === '~') throw needShell('`~` (home directory) expansion', i);
    if (ch === '=' && words.length === 0 && inWord && /^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) {
      throw new ShellWordsError(
        `\`${word}=…\` before the command sets an environment variable, which needs a shell: use the suite's \`env:\` instead`,
        i,
      );
    }
    word += ch;
    inWord = true;
    i++;
  }
  if (inWord) words.push(word);
  if (words.length === 0) throw new ShellWordsError('the command line is empty', 0);
  return words;
}

/** Quotes argv back into a line a person can paste into a shell (for logs). */
export function joinCommandLine(argv: readonly string[]): string {
  return argv
    .map((a) => (a !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
