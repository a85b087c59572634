import { describe, expect, it } from 'vitest';
import { decide, recordingAnnotations, renderSummary } from '../../src/actions/design-drift/report.js';
import type { RecordingChange } from '../../src/actions/design-drift/sources.js';

describe("the pull request's changes to the recordings", () => {
  const none = { expired: [], refused: [], used: [], unused: [] };
  const changes: RecordingChange[] = [
    { path: 'docs/design/contracts/2026-11-20/index.json', change: 'changed' },
    { path: 'docs/design/contracts/2026-12-01/index.json', change: 'added' },
    { path: 'docs/design/contracts/2026-12-01/users/openapi.json', change: 'added' },
    { path: 'docs/design/contracts/2026-11-20/old.json', change: 'removed' },
  ];
  const summary = (pending: RecordingChange[], maxRows?: number) =>
    renderSummary({
      findings: [],
      documents: [],
      recordedDir: 'docs/design/contracts/2026-11-20',
      baseRef: 'origin/main',
      failOn: 'breaking',
      decision: decide([], 'breaking', none, undefined),
      waivers: none,
      who: {},
      pendingRecording: { root: 'docs/design/contracts', changes: pending },
      ...(maxRows ? { maxRows } : {}),
    });

  it('are listed as taking effect after merge, naming the recording this check used and where it was read', () => {
    const text = summary(changes);
    expect(text).toContain(
      'compared with the recording in `docs/design/contracts/2026-11-20` and with themselves, both as on the base ref `origin/main`',
    );
    expect(text).toContain('### Recording changes in this pull request: take effect after merge');
    expect(text).toContain(
      'The changes below under `docs/design/contracts` are not used for this pull request',
    );
    expect(text).toContain('| ✏️ changed | `docs/design/contracts/2026-11-20/index.json` |');
    expect(text).toContain('| ➕ added | `docs/design/contracts/2026-12-01/users/openapi.json` |');
    expect(text).toContain('| ➖ removed | `docs/design/contracts/2026-11-20/old.json` |');
    expect(summary([])).not.toContain('Recording changes');
    expect(summary(changes, 2)).toContain('2 more file(s) in the JSON result.');
  });

  it('are announced by one notice, counted by kind', () => {
    expect(recordingAnnotations(changes, 'docs/design/contracts/2026-11-20', 'origin/main')).toEqual([
      expect.objectContaining({
        level: 'notice',
        message:
          'This pull request changes 4 recorded file(s) (2 added, 1 changed, 1 removed); this check compares with the ' +
          'recording docs/design/contracts/2026-11-20 as on origin/main. See the summary.',
      }),
    ]);
    expect(recordingAnnotations([], 'r', 'origin/main')).toEqual([]);
    expect(recordingAnnotations(undefined, 'r', undefined)).toEqual([]);
  });
});
