import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/** The playwright-core version this code is written and tested against (kept equal to package.json by a test). */
export const PLAYWRIGHT_CORE_VERSION = '1.65.1';

export type PlaywrightCore = typeof import('playwright-core');

/**
 * Loads playwright-core only when a screenshot is asked for, so every other run starts fast.
 *
 * It is not bundled: it reads its own package files at run time. It is found, in order, next to
 * the action (a checkout with node_modules), at PLAYWRIGHT_CORE_PATH, or in a per-version cache
 * (`$RUNNER_TOOL_CACHE/command-center/playwright-core/<version>`) that is filled once with
 * `npm install` from the registry the runner already uses. Only the library is installed: the
 * browser is always the system's.
 */
export async function loadPlaywright(
  log: (line: string) => void = () => {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<PlaywrightCore> {
  try {
    return await import('playwright-core');
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (env.PLAYWRIGHT_CORE_PATH) return importFrom(env.PLAYWRIGHT_CORE_PATH);
  const cacheRoot = env.RUNNER_TOOL_CACHE || env.RUNNER_TEMP || join(env.HOME ?? '/tmp', '.cache');
  const prefix = join(cacheRoot, 'command-center', 'playwright-core', PLAYWRIGHT_CORE_VERSION);
  const installed = join(prefix, 'node_modules', 'playwright-core');
  if (!existsSync(join(installed, 'package.json'))) {
    log(
      `playwright-core ${PLAYWRIGHT_CORE_VERSION} is not next to the action; installing it into ${prefix} (the library only, no browser)`,
    );
    await mkdir(prefix, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    try {
      await promisify(execFile)(
        npm,
        [
          'install',
          '--no-save',
          '--no-package-lock',
          '--no-fund',
          '--no-audit',
          '--ignore-scripts',
          '--loglevel=error',
          '--prefix',
          prefix,
          `playwright-core@${PLAYWRIGHT_CORE_VERSION}`,
        ],
        {
          env: { ...env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
          timeout: 180_000,
        },
      );
    } catch (err) {
      const detail = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
      throw new Error(
        `could not install playwright-core ${PLAYWRIGHT_CORE_VERSION} with npm (needed for dashboard screenshots): ${detail.split('\n').slice(-3).join(' ')}. Install it next to the action or set PLAYWRIGHT_CORE_PATH.`,
      );
    }
  }
  return importFrom(installed);
}

async function importFrom(dir: string): Promise<PlaywrightCore> {
  const req = createRequire(join(dir, 'package.json'));
  const entry = req.resolve('playwright-core');
  const mod = (await import(pathToFileURL(entry).href)) as PlaywrightCore & { default?: PlaywrightCore };
  return mod.chromium ? mod : (mod.default as PlaywrightCore);
}

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
