// Makes a release whose reusable workflows run exactly the actions they were released with.
//
//   npm run release -- v1.4.0 [--push origin]
//
// A caller that pins `.github/workflows/integration-day.yml@<sha>` runs that commit's workflow, but
// a workflow's `uses: command-center/command-center/actions/<name>@v1` resolves the moving tag, and
// `uses:` takes no expressions, so a workflow cannot say "my own commit". The release therefore adds
// one commit on top of the tested commit C: the workflows' own `uses:` point at C by SHA, and nothing
// else changes. That release commit gets the version tag and moves the major tag. Pinning it runs
// C's actions, whose files are identical to the release commit's.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPOSITORY = 'command-center/command-center';
const OWN_USES = new RegExp(
  `(uses:\\s*${REPOSITORY.replace('/', '\\/')}/[^@\\s]+)@[^\\s#]+(\\s*#[^\\n]*)?`,
  'g',
);

/** The workflow text with every own `uses:` pinned to `sha`, noting the version (comments are left as they are). Pure. */
export function pinOwnUses(text: string, sha: string, version: string): string {
  return text
    .split('\n')
    .map((line) =>
      isComment(line) ? line : line.replace(OWN_USES, (_m, head: string) => `${head}@${sha} # ${version}`),
    )
    .join('\n');
}

/** Every own `uses:` of a workflow text (not in comments), as `path@ref`. Pure. */
export function ownUses(text: string): { path: string; ref: string }[] {
  const re = new RegExp(`uses:\\s*${REPOSITORY.replace('/', '\\/')}/([^@\\s]+)@([^\\s#]+)`);
  return text
    .split('\n')
    .filter((line) => !isComment(line))
    .flatMap((line) => {
      const m = re.exec(line);
      return m ? [{ path: m[1]!, ref: m[2]! }] : [];
    });
}

const isComment = (line: string) => /^\s*#/.test(line);

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function release(
  cwd: string,
  version: string,
  { push }: { push?: string } = {},
): { tested: string; release: string; changed: string[] } {
  if (!/^v\d+\.\d+\.\d+$/.test(version))
    throw new Error(`the version must look like v1.4.0, not ${JSON.stringify(version)}`);
  if (git(cwd, 'status', '--porcelain', '--untracked-files=no'))
    throw new Error('the work tree has uncommitted changes: release a tested commit');
  const tested = git(cwd, 'rev-parse', 'HEAD');
  const dir = join(cwd, '.github', 'workflows');
  const changed: string[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()) {
    const path = join(dir, name);
    const before = readFileSync(path, 'utf8');
    const after = pinOwnUses(before, tested, version);
    if (after !== before) {
      writeFileSync(path, after);
      changed.push(join('.github', 'workflows', name));
    }
  }
  if (changed.length === 0)
    throw new Error("no workflow calls this repository's own actions: nothing to pin");
  git(cwd, 'add', '--', ...changed);
  git(
    cwd,
    '-c',
    'commit.gpgSign=false',
    'commit',
    '--quiet',
    '-m',
    `Release ${version}: the workflows call the actions of ${tested.slice(0, 12)}`,
  );
  const releaseSha = git(cwd, 'rev-parse', 'HEAD');
  const major = version.split('.')[0]!;
  git(
    cwd,
    'tag',
    '--annotate',
    '--message',
    `${version} (workflows pinned to ${tested})`,
    version,
    releaseSha,
  );
  git(cwd, 'tag', '--force', '--annotate', '--message', `${major} = ${version}`, major, releaseSha);
  if (push)
    git(
      cwd,
      'push',
      '--atomic',
      push,
      `${releaseSha}:refs/tags/${version}`,
      `+refs/tags/${major}:refs/tags/${major}`,
    );
  return { tested, release: releaseSha, changed };
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const [version = '', flag, remote] = process.argv.slice(2);
  try {
    const r = release(process.cwd(), version, flag === '--push' ? { push: remote ?? 'origin' } : {});
    console.log(`${version}: release commit ${r.release}, its workflows call the actions at ${r.tested}`);
    console.log(`changed: ${r.changed.join(', ')}`);
    const major = version.split('.')[0]!;
    if (flag !== '--push')
      console.log(
        `push with: git push --atomic origin ${r.release}:refs/tags/${version} +refs/tags/${major}:refs/tags/${major}`,
      );
  } catch (err) {
    console.error(`release: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
