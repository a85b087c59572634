import { describe, expect, it } from 'vitest';
import { joinCommandLine, splitCommandLine, ShellWordsError } from '../../src/lib/process/shell-words.js';

describe('splitting a command line without a shell', () => {
  const cases: [string, string[]][] = [
    ['pytest tests/integration/policy', ['pytest', 'tests/integration/policy']],
    ['  pnpm   --filter admin-console\ttest ', ['pnpm', '--filter', 'admin-console', 'test']],
    [
      `pytest -k 'deny and not slow' --junitxml=reports/policy.xml`,
      ['pytest', '-k', 'deny and not slow', '--junitxml=reports/policy.xml'],
    ],
    [`echo "a \\"quoted\\" word" 'it'\\''s'`, ['echo', 'a "quoted" word', "it's"]],
    [`printf "back\\slash kept" one\\ word`, ['printf', 'back\\slash kept', 'one word']],
    [`pytest "tests/test_x.py::test[a-1]" ''`, ['pytest', 'tests/test_x.py::test[a-1]', '']],
    ['pytest \\\n  tests', ['pytest', 'tests']],
    ['a"b"\'c\'d', ['abcd']],
    ['pytest --url=http://x/path#frag', ['pytest', '--url=http://x/path#frag']],
  ];
  for (const [line, argv] of cases) {
    it(JSON.stringify(line), () => expect(splitCommandLine(line)).toEqual(argv));
  }

  const refused: [string, RegExp][] = [
    ['pytest | tee out', /shell operator `\|` at position 8 needs a shell/],
    ['pytest > out.txt', /shell operator `>`/],
    ['make test && pytest', /shell operator `&`/],
    ['pytest; echo done', /shell operator `;`/],
    ['pytest $ARGS', /`\$` expansion at position 8/],
    ['echo "$HOME"', /`\$` expansion/],
    ['echo `date`', /command substitution \(`\) at position 6/],
    ['pytest tests/*.py', /glob character `\*`/],
    ['pytest ~/tests', /`~` \(home directory\) expansion/],
    ['pytest # all', /a `#` comment/],
    ['SMOKE_FAIL=1 pytest', /sets an environment variable, which needs a shell: use the suite's `env:`/],
    [`pytest 'unterminated`, /unterminated single quote starting at position 8/],
    ['pytest "unterminated', /unterminated double quote/],
    ['pytest \\', /lone backslash/],
    ['   ', /empty/],
  ];
  for (const [line, reason] of refused) {
    it(`refuses ${JSON.stringify(line)}`, () => {
      let thrown: unknown;
      try {
        splitCommandLine(line);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ShellWordsError);
      expect((thrown as Error).message).toMatch(reason);
    });
  }

  it('joinCommandLine quotes what needs quoting and round-trips', () => {
    const argv = ['pytest', '-k', "deny and it's slow", '--junitxml=r.xml', ''];
    const line = joinCommandLine(argv);
    expect(line).toBe(`pytest -k 'deny and it'\\''s slow' --junitxml=r.xml ''`);
    expect(splitCommandLine(line)).toEqual(argv);
  });
});
