import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { packageDirectory, type GoModule } from './go-modules.js';
import type { JUnitCase } from './types.js';

/** A place in the repository: a workspace-relative path (forward slashes) and a 1-based line. */
export interface SourceLocation {
  file: string;
  line?: number;
}

export interface LocateContext {
  /** Absolute directory the suite ran in: relative paths in reports and tracebacks resolve against it. */
  workingDirectory: string;
  /**
   * Absolute directory of the report file. Runners started through a workspace tool (pnpm --filter)
   * write paths relative to the package, which is the report's folder or one of its parents.
   */
  reportDirectory?: string;
  /** Absolute workspace root: annotations are relative to it, and nothing outside it is used. */
  workspace: string;
  /** Whether an absolute path is an existing file (I/O stays with the caller). */
  exists: (absolutePath: string) => boolean;
  /** Go modules of the suite (findGoModules): reports name packages by import path. */
  goModules?: readonly GoModule[];
  /** The names in a directory and a file's text, to find a Go test function that printed no line. */
  listDirectory?: (absolutePath: string) => string[];
  readText?: (absolutePath: string) => string | undefined;
}

type FrameKind = 'python' | 'js' | 'jvm' | 'go-log' | 'go-stack';

export interface Frame {
  path: string;
  line: number;
  kind: FrameKind;
}

// pytest's long and short tracebacks end each frame with "path.py:NN: ..." at the start of a line.
const PYTEST_FRAME = /^([^\s:][^:\n]*\.py):(\d+):/gm;
// Python's own traceback format (pytest --tb=native, unittest): File "path", line NN
const PYTHON_FRAME = /File "([^"\n]+\.py)", line (\d+)/g;
// Node/V8 stack frames "at fn (path:L:C)" / "at path:L:C" and vitest's "❯ path:L:C".
const JS_FRAME = /(?:^|[\s(])((?:file:\/\/)?[^\s():'"]*\.(?:[cm]?[jt]sx?|vue|svelte)):(\d+)(?::\d+)?/gm;
// JVM frames name only the file: "at com.acme.FooTest.check(FooTest.java:42)".
const JVM_FRAME = /at ([\w$.]+)\.[\w$<>]+\(([\w$]+\.(?:java|kt|scala|groovy)):(\d+)\)/g;

// Go's t.Errorf/t.Fatalf/t.Log lines: "    calc_test.go:14: message" (the file's base name only).
const GO_LOG_LINE = /^[ \t]+([\w.+-]+\.go):(\d+): /gm;
// Frames of a goroutine trace (a panic): "\t/abs/path/calc.go:8 +0x1d", or module-relative with -trimpath.
const GO_STACK_FRAME = /^\t(\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?[ \t]*$/gm;

const JVM_SOURCE_ROOTS = [
  'src/test/java',
  'src/test/kotlin',
  'src/test/scala',
  'src/test/groovy',
  'src/main/java',
  'src/main/kotlin',
  'src/main/scala',
  'src/it/java',
  '',
];

/** Every source frame mentioned in a failure text, in the order they appear. */
export function extractFrames(text: string): Frame[] {
  const frames: { at: number; frame: Frame }[] = [];
  for (const m of text.matchAll(PYTEST_FRAME))
    frames.push({ at: m.index, frame: { path: m[1]!, line: Number(m[2]), kind: 'python' } });
  for (const m of text.matchAll(PYTHON_FRAME))
    frames.push({ at: m.index, frame: { path: m[1]!, line: Number(m[2]), kind: 'python' } });
  for (const m of text.matchAll(JS_FRAME)) {
    frames.push({
      at: m.index,
      frame: { path: m[1]!.replace(/^file:\/\//, ''), line: Number(m[2]), kind: 'js' },
    });
  }
  for (const m of text.matchAll(JVM_FRAME)) {
    const pkg = m[1]!
      .split('.')
      .slice(0, -1)
      .filter((p) => /^[a-z_][\w]*$/.test(p));
    frames.push({ at: m.index, frame: { path: [...pkg, m[2]!].join('/'), line: Number(m[3]), kind: 'jvm' } });
  }
  for (const m of text.matchAll(GO_LOG_LINE))
    frames.push({ at: m.index, frame: { path: m[1]!, line: Number(m[2]), kind: 'go-log' } });
  for (const m of text.matchAll(GO_STACK_FRAME))
    frames.push({ at: m.index, frame: { path: m[1]!, line: Number(m[2]), kind: 'go-stack' } });
  return frames.sort((a, b) => a.at - b.at).map((f) => f.frame);
}

const THIRD_PARTY =
  /(^|[\\/])(node_modules|site-packages|dist-packages|_pytest|pluggy|\.venv|venv|\.tox|vendor)([\\/]|$)|^<|[\\/]lib[\\/]python\d/;

export type LocatableCase = Pick<JUnitCase, 'classname' | 'text'> &
  Partial<Pick<JUnitCase, 'file' | 'line' | 'message' | 'suite' | 'name'>>;

/**
 * Finds where a failed case should be annotated. pytest's XML has no file attribute, so the
 * traceback is read: the innermost frame that lies in the repository (not in site-packages) is
 * where the assertion failed. For JavaScript stacks the innermost frame comes first; frames in the
 * case's own file are preferred when the report names it (vitest, jest-junit, pytest xunit1).
 * Go: the innermost repository frame of a panic's goroutine trace, else the test's first
 * `file_test.go:N:` line, in the package directory its import path maps to through go.mod; a test
 * that printed no line (the parent of a failed subtest) is annotated at its `func`.
 */
export function locateFailure(c: LocatableCase, ctx: LocateContext): SourceLocation | undefined {
  const goPackage = goPackageOf(c, ctx);
  const frames = extractFrames(`${c.text}\n${c.message ?? ''}`)
    .map((f) => ({ ...f, abs: resolveFrame(f, ctx, goPackage) }))
    .filter((f): f is Frame & { abs: string } => f.abs !== undefined);

  const caseFile = c.file ? resolveExisting(c.file, ctx) : undefined;
  if (caseFile) {
    const inFile = frames.filter((f) => f.abs === caseFile);
    const pick = innermost(inFile);
    if (pick) return { file: toWorkspacePath(pick.abs, ctx), line: pick.line };
  }
  const pick = innermost(frames);
  if (pick) return { file: toWorkspacePath(pick.abs, ctx), line: pick.line };
  if (caseFile) {
    // pytest's xunit1 `line` is 0-based; the other writers that set it count from 1.
    const line = c.line === undefined ? undefined : caseFile.endsWith('.py') ? c.line + 1 : c.line;
    return line !== undefined && line > 0
      ? { file: toWorkspacePath(caseFile, ctx), line }
      : { file: toWorkspacePath(caseFile, ctx) };
  }
  if (goPackage !== undefined && c.name !== undefined) {
    const fn = goTestFunction(goPackage, c.name, ctx);
    if (fn) return { file: toWorkspacePath(fn.abs, ctx), line: fn.line };
  }
  const fromClass = fileFromClassname(c.classname, ctx);
  return fromClass ? { file: toWorkspacePath(fromClass, ctx) } : undefined;
}

/**
 * Python tracebacks list the innermost frame last; JavaScript, JVM and goroutine stacks list it
 * first. A panic's trace wins over the lines the test printed before it.
 */
function innermost<F extends Frame>(frames: F[]): F | undefined {
  if (frames.length === 0) return undefined;
  const goStack = frames.find((f) => f.kind === 'go-stack');
  if (goStack) return goStack;
  const python = frames.filter((f) => f.kind === 'python');
  if (python.length > 0) return python[python.length - 1];
  return frames[0];
}

/** The directory of a Go case's package (gotestsum: suite and classname are its import path). */
function goPackageOf(c: LocatableCase, ctx: LocateContext): string | undefined {
  if (!ctx.goModules?.length) return undefined;
  for (const importPath of [c.suite, c.classname]) {
    if (!importPath) continue;
    const dir = packageDirectory(importPath, ctx.goModules);
    if (dir !== undefined && insideWorkspace(dir, ctx)) return dir;
  }
  return undefined;
}

const GO_TEST_NAME = /^(?:Test|Benchmark|Example|Fuzz)\w*$/;

/** `func TestX(` in the package's _test.go files, for a test (or a subtest's parent) that printed no line. */
function goTestFunction(
  dir: string,
  name: string,
  ctx: LocateContext,
): { abs: string; line: number } | undefined {
  const top = name.split('/')[0]!;
  if (!GO_TEST_NAME.test(top) || !ctx.listDirectory || !ctx.readText) return undefined;
  const declaration = new RegExp(`^func\\s+${top}\\s*\\(`, 'm');
  for (const entry of ctx
    .listDirectory(dir)
    .filter((n) => n.endsWith('_test.go'))
    .sort()) {
    const abs = join(dir, entry);
    const text = ctx.readText(abs);
    const m = text === undefined ? null : declaration.exec(text);
    if (m && text !== undefined) return { abs, line: text.slice(0, m.index).split('\n').length };
  }
  return undefined;
}

function resolveFrame(f: Frame, ctx: LocateContext, goPackage: string | undefined): string | undefined {
  if (THIRD_PARTY.test(f.path) || !(f.line > 0)) return undefined;
  if (f.kind === 'go-log') {
    // Only the base name is printed: it is a file of the test's package (or of the working directory).
    return goPackage !== undefined
      ? resolveExisting(join(goPackage, f.path), ctx)
      : resolveExisting(f.path, ctx);
  }
  if (f.kind === 'go-stack' && !isAbsolute(f.path) && ctx.goModules?.length) {
    // Built with -trimpath: frames are module-relative ("example.com/acme/billing/calc.go").
    const dir = packageDirectory(dirname(f.path), ctx.goModules);
    return dir === undefined
      ? undefined
      : resolveExisting(join(dir, f.path.slice(f.path.lastIndexOf('/') + 1)), ctx);
  }
  if (f.kind === 'jvm') {
    for (const root of JVM_SOURCE_ROOTS) {
      const abs = resolveExisting(join(root, f.path), ctx);
      if (abs) return abs;
    }
    return undefined;
  }
  return resolveExisting(f.path, ctx);
}

function resolveExisting(path: string, ctx: LocateContext): string | undefined {
  const candidates = isAbsolute(path) ? [path] : bases(ctx).map((b) => resolve(b, path));
  for (const abs of candidates) {
    if (insideWorkspace(abs, ctx) && !THIRD_PARTY.test(relative(ctx.workspace, abs)) && ctx.exists(abs))
      return abs;
  }
  return undefined;
}

/** pytest's classname is the dotted module path (plus classes): tests.integration.test_x.TestY. */
function fileFromClassname(classname: string, ctx: LocateContext): string | undefined {
  if (classname === '') return undefined;
  if (/[\\/]/.test(classname) || /\.[cm]?[jt]sx?$/.test(classname)) return resolveExisting(classname, ctx);
  const parts = classname.split('.');
  for (let n = parts.length; n > 0; n--) {
    const abs = resolveExisting(`${parts.slice(0, n).join('/')}.py`, ctx);
    if (abs) return abs;
  }
  return undefined;
}

/** Where relative paths may be relative to: the working directory, the report's folder and its parents, the workspace. */
function bases(ctx: LocateContext): string[] {
  const out = [ctx.workingDirectory];
  if (ctx.reportDirectory) {
    for (let d = ctx.reportDirectory; insideWorkspace(d, ctx); d = dirname(d)) out.push(d);
  }
  out.push(ctx.workspace);
  return [...new Set(out)];
}

function insideWorkspace(abs: string, ctx: LocateContext): boolean {
  const rel = relative(ctx.workspace, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function toWorkspacePath(abs: string, ctx: LocateContext): string {
  return relative(ctx.workspace, abs).split(sep).join('/');
}
