import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Redactor } from '../redact.js';
import { isTextFile, StreamScrubber } from './scrub.js';

/** 1 MiB reads: large enough that per-call overhead vanishes, small enough to stay in cache. */
const CHUNK = 1 << 20;

export interface ArchivedFile {
  sha256: string;
  size: number;
  text: boolean;
  /** Secret values replaced while copying (text files only). */
  redactions: number;
}

export interface ArchiveOptions {
  /** Registered secrets to remove (default: the process-wide redactor). */
  secrets?: Redactor;
  /**
   * Write `dst` in place instead of through a temp file and a rename: for a private staging folder
   * that nobody reads while it is written. Saves two file-system operations per file.
   */
  inPlace?: boolean;
  /** Folders already known to exist; the file's folder is created (and remembered) when missing. */
  knownDirs?: Set<string>;
}

/**
 * Copies `src` to `dst` in one pass, hashing exactly the bytes written. Text is scrubbed of
 * secrets on the way (so the hash is of what is archived); binary files are copied byte for byte.
 * Unless `inPlace`, the copy appears atomically (temp file + rename).
 */
export async function archiveFile(
  src: string | Buffer,
  dst: string,
  opts: ArchiveOptions = {},
): Promise<ArchivedFile> {
  const dir = dirname(dst);
  if (!opts.knownDirs?.has(dir)) {
    await mkdir(dir, { recursive: true });
    opts.knownDirs?.add(dir);
  }
  const secrets = opts.secrets;
  const tmp = opts.inPlace ? dst : `${dst}.part-${process.pid}`;
  const input = await open(src, 'r');
  let output: Awaited<ReturnType<typeof open>> | undefined;
  try {
    output = await open(tmp, 'w');
    const hash = createHash('sha256');
    let size = 0;
    const write = async (buf: Uint8Array) => {
      if (buf.length === 0) return;
      hash.update(buf);
      size += buf.length;
      await output!.write(buf);
    };
    const buffer = Buffer.allocUnsafe(CHUNK);
    let { bytesRead } = await input.read(buffer, 0, CHUNK, null);
    const text = isTextFile(String(src), buffer.subarray(0, Math.min(bytesRead, 8_000)));
    let redactions = 0;
    if (text) {
      const scrubber = new StreamScrubber(secrets);
      while (bytesRead > 0) {
        await write(scrubber.push(buffer.subarray(0, bytesRead)));
        ({ bytesRead } = await input.read(buffer, 0, CHUNK, null));
      }
      await write(scrubber.end());
      redactions = scrubber.redactions;
    } else {
      while (bytesRead > 0) {
        await write(buffer.subarray(0, bytesRead));
        ({ bytesRead } = await input.read(buffer, 0, CHUNK, null));
      }
    }
    await output.close();
    output = undefined;
    if (tmp !== dst) await rename(tmp, dst);
    return { sha256: hash.digest('hex'), size, text, redactions };
  } catch (err) {
    await output?.close().catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  } finally {
    await input.close();
  }
}

/** SHA-256 and size of a file as it is on disk. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const fh = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK);
    let size = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    await fh.close();
  }
}

export function sha256Of(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
