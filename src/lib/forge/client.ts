import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { ConfigurationError } from '../errors.js';

/**
 * The one client of the forge's REST API: GitHub, GitHub Enterprise Server, or Gitea/Forgejo, which
 * serve the same calls for what Command Center does (issues, labels, comments, commit statuses,
 * pull requests) with a few differences kept in this module. Retries and rate limits are handled by
 * Octokit's own plugins; lists are paginated.
 */
export type ForgeKind = 'github' | 'gitea';

export interface ForgeOptions {
  token: string;
  /** The REST API root: `GITHUB_API_URL` on a runner (https://api.github.com, https://ghe/api/v3, https://gitea/api/v1). */
  apiUrl: string;
  /** `owner/name` of the repository the calls are about. */
  repository: string;
  log?: (line: string) => void;
  /** Retries of a failed request (5xx, network); 0 in tests that want the first answer. */
  retries?: number;
}

export interface ForgeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  assignees: string[];
  htmlUrl: string;
  updatedAt: string;
}

export interface ForgeComment {
  id: number;
  body: string;
  createdAt: string;
  author: string;
}

export interface ForgePull {
  number: number;
  title: string;
  state: 'open' | 'closed';
  merged: boolean;
  head: string;
  base: string;
  headSha: string;
  htmlUrl: string;
  /** `owner/name` of the repository the head branch is in (a fork's, for a pull request from a fork); '' when unknown. */
  headRepo: string;
}

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

/** The token may not do this (a fork's read-only token, a missing `issues: write`): say so, plainly. */
export class ForgePermissionError extends Error {
  override readonly name = 'ForgePermissionError';
}

/** GitHub's REST root or Gitea's: Gitea and Forgejo serve their API under /api/v1. */
export function forgeKindOf(apiUrl: string): ForgeKind {
  return /\/api\/v1\/?$/.test(apiUrl) ? 'gitea' : 'github';
}

type Octokit = ReturnType<typeof getOctokit>;

export class Forge {
  readonly kind: ForgeKind;
  readonly owner: string;
  readonly repo: string;
  private readonly octokit: Octokit;
  private labelIds?: Map<string, number>;

  constructor(private readonly opts: ForgeOptions) {
    const [owner, repo, extra] = opts.repository.split('/');
    if (!owner || !repo || extra !== undefined) {
      throw new ConfigurationError(`the repository ${JSON.stringify(opts.repository)} is not owner/name`);
    }
    if (!/^https?:\/\//.test(opts.apiUrl)) {
      throw new ConfigurationError(
        `input 'api-url' has value ${JSON.stringify(opts.apiUrl)}: expected an http(s) URL`,
      );
    }
    this.owner = owner;
    this.repo = repo;
    this.kind = forgeKindOf(opts.apiUrl);
    const log = opts.log ?? (() => {});
    this.octokit = getOctokit(
      opts.token,
      {
        baseUrl: opts.apiUrl.replace(/\/+$/, ''),
        request: { retries: opts.retries ?? 3 },
        // Answers, not outages: a refused merge (405), a pull request that already exists (409).
        retry: { doNotRetry: [400, 401, 403, 404, 405, 409, 410, 422, 451] },
        throttle: {
          onRateLimit: (after: number, o: { method: string; url: string }, _k: unknown, count: number) => {
            log(
              `forge: rate limit on ${o.method} ${o.url}; ${count < 2 ? `retrying after ${after}s` : 'giving up'}`,
            );
            return count < 2;
          },
          onSecondaryRateLimit: (
            after: number,
            o: { method: string; url: string },
            _k: unknown,
            count: number,
          ) => {
            log(
              `forge: secondary rate limit on ${o.method} ${o.url}; ${count < 2 ? `retrying after ${after}s` : 'giving up'}`,
            );
            return count < 2;
          },
        },
      },
      retry,
      throttling,
    );
  }

  private get where() {
    return { owner: this.owner, repo: this.repo };
  }

  /** Runs a call and turns a 403/404 for missing permissions into a ForgePermissionError. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const status = (err as { status?: number }).status;
      const message = (err as Error).message;
      if (status === 401) {
        throw new ForgePermissionError(
          `the forge does not accept the token (HTTP 401: ${message}); check the 'token' input`,
        );
      }
      // A read-only token (a fork's pull request, a missing `issues: write`): GitHub answers 403
      // "Resource not accessible by integration", Gitea 403 with the scope it lacks.
      if (status === 403) {
        throw new ForgePermissionError(
          `the token may not ${what.replace(/^write: /, '')} in ${this.owner}/${this.repo} (HTTP 403: ${message})`,
        );
      }
      throw err;
    }
  }

  // --- labels -----------------------------------------------------------------------------------

  /** Makes sure the labels exist (created with the given colours); returns their ids by name. */
  async ensureLabels(
    labels: readonly { name: string; color?: string; description?: string }[],
  ): Promise<Map<string, number>> {
    const known = await this.labels();
    for (const l of labels) {
      if (known.has(l.name)) continue;
      const created = await this.call('write: create labels', () =>
        this.octokit.rest.issues.createLabel({
          ...this.where,
          name: l.name,
          color: (l.color ?? 'ededed').replace(/^#/, ''),
          ...(l.description ? { description: l.description } : {}),
        }),
      );
      known.set(l.name, created.data.id);
    }
    return known;
  }

  private async labels(): Promise<Map<string, number>> {
    if (!this.labelIds) {
      const all = await this.octokit.paginate(this.octokit.rest.issues.listLabelsForRepo, {
        ...this.where,
        per_page: 50,
      });
      this.labelIds = new Map(all.map((l) => [l.name, l.id]));
    }
    return this.labelIds;
  }

  // --- issues -----------------------------------------------------------------------------------

  async createIssue(i: {
    title: string;
    body: string;
    labels?: string[];
    assignees?: string[];
  }): Promise<ForgeIssue> {
    const labels = i.labels ?? [];
    // Gitea takes label ids on create; GitHub takes names.
    const ids = this.kind === 'gitea' ? await this.ensureLabels(labels.map((name) => ({ name }))) : undefined;
    const created = await this.call('write: open issues', () =>
      this.octokit.request('POST /repos/{owner}/{repo}/issues', {
        ...this.where,
        title: i.title,
        body: i.body,
        ...(labels.length ? { labels: labelArgument(labels, ids) } : {}),
        ...(i.assignees?.length ? { assignees: i.assignees } : {}),
      }),
    );
    return toIssue(created.data);
  }

  async getIssue(number: number): Promise<ForgeIssue> {
    return toIssue((await this.octokit.rest.issues.get({ ...this.where, issue_number: number })).data);
  }

  /** Title, body or state; labels go through addLabels/removeLabel (Gitea ignores labels on update). */
  async updateIssue(
    number: number,
    change: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<ForgeIssue> {
    const updated = await this.call('write: edit issues', () =>
      this.octokit.rest.issues.update({ ...this.where, issue_number: number, ...change }),
    );
    return toIssue(updated.data);
  }

  async addLabels(number: number, labels: string[]): Promise<void> {
    if (labels.length === 0) return;
    const ids = this.kind === 'gitea' ? await this.ensureLabels(labels.map((name) => ({ name }))) : undefined;
    await this.call('write: label issues', () =>
      this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
        ...this.where,
        issue_number: number,
        labels: labelArgument(labels, ids),
      }),
    );
  }

  /**
   * Issues with every one of `labels` (open, closed or all), newest first. Filtered here as well:
   * Gitea answers a filter on a label that does not exist with every issue.
   */
  async listIssues(q: { labels?: string[]; state?: 'open' | 'closed' | 'all' } = {}): Promise<ForgeIssue[]> {
    const labels = q.labels ?? [];
    const raw = await this.octokit.paginate(this.octokit.rest.issues.listForRepo, {
      ...this.where,
      state: q.state ?? 'open',
      per_page: 50,
      ...(labels.length ? { labels: labels.join(',') } : {}),
      ...(this.kind === 'gitea' ? { type: 'issues' } : {}),
    } as Parameters<Octokit['rest']['issues']['listForRepo']>[0]);
    return raw
      .filter((i) => !(i as { pull_request?: unknown }).pull_request)
      .map(toIssue)
      .filter((i) => labels.every((l) => i.labels.includes(l)));
  }

  /** The issue whose body carries `marker` (a hidden comment), among those with `labels`. */
  async findIssueByMarker(marker: string, labels: string[] = []): Promise<ForgeIssue | undefined> {
    const all = await this.listIssues({ labels, state: 'all' });
    return all.find((i) => i.body.includes(marker));
  }

  // --- comments ---------------------------------------------------------------------------------

  async comment(number: number, body: string): Promise<ForgeComment> {
    const c = await this.call('write: comment on issues and pull requests', () =>
      this.octokit.rest.issues.createComment({ ...this.where, issue_number: number, body }),
    );
    return toComment(c.data);
  }

  async listComments(number: number): Promise<ForgeComment[]> {
    const all = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      ...this.where,
      issue_number: number,
      per_page: 50,
    });
    return all.map(toComment);
  }

  async updateComment(id: number, body: string): Promise<ForgeComment> {
    const c = await this.call('write: edit comments', () =>
      this.octokit.rest.issues.updateComment({ ...this.where, comment_id: id, body }),
    );
    return toComment(c.data);
  }

  /** Creates or updates the one comment that carries `marker` (a sticky comment). */
  async upsertComment(
    number: number,
    marker: string,
    body: string,
  ): Promise<{ comment: ForgeComment; created: boolean }> {
    const existing = (await this.listComments(number)).find((c) => c.body.includes(marker));
    if (existing) return { comment: await this.updateComment(existing.id, body), created: false };
    return { comment: await this.comment(number, body), created: true };
  }

  // --- commit statuses --------------------------------------------------------------------------

  async setStatus(
    sha: string,
    s: { context: string; state: CommitState; description: string; targetUrl?: string },
  ): Promise<void> {
    await this.call('write: set commit statuses', () =>
      this.octokit.rest.repos.createCommitStatus({
        ...this.where,
        sha,
        context: s.context,
        state: s.state,
        description: s.description.slice(0, 140),
        ...(s.targetUrl ? { target_url: s.targetUrl } : {}),
      }),
    );
  }

  /** The newest state of each context on `ref`, and their combination. */
  async combinedStatus(
    ref: string,
  ): Promise<{ state: string; statuses: { context: string; state: string }[] }> {
    const r = await this.octokit.rest.repos.getCombinedStatusForRef({ ...this.where, ref });
    const statuses = (r.data.statuses ?? []).map((s) => ({
      context: s.context,
      // Gitea names the field `status`.
      state: (s as { state?: string; status?: string }).state ?? (s as { status?: string }).status ?? '',
    }));
    return { state: r.data.state, statuses };
  }

  // --- pull requests ----------------------------------------------------------------------------

  async createPull(p: { title: string; body: string; head: string; base: string }): Promise<ForgePull> {
    const r = await this.call('write: open pull requests', () =>
      this.octokit.rest.pulls.create({ ...this.where, ...p }),
    );
    return toPull(r.data);
  }

  async getPull(number: number): Promise<ForgePull> {
    return toPull((await this.octokit.rest.pulls.get({ ...this.where, pull_number: number })).data);
  }

  async listPulls(
    q: { state?: 'open' | 'closed' | 'all'; head?: string; base?: string } = {},
  ): Promise<ForgePull[]> {
    const all = await this.octokit.paginate(this.octokit.rest.pulls.list, {
      ...this.where,
      state: q.state ?? 'open',
      per_page: 50,
    });
    return all
      .map(toPull)
      .filter(
        (p) => (q.head === undefined || p.head === q.head) && (q.base === undefined || p.base === q.base),
      );
  }

  async updatePull(number: number, change: { title?: string; body?: string }): Promise<ForgePull> {
    const r = await this.call('write: edit pull requests', () =>
      this.octokit.rest.pulls.update({ ...this.where, pull_number: number, ...change }),
    );
    return toPull(r.data);
  }

  /**
   * Merges a pull request. GitHub: `PUT .../merge`; Gitea: `POST .../merge {Do: "merge"}`. A merge
   * the forge refuses (a required status failing, a conflict) is returned as refused with its words.
   */
  async mergePull(number: number, message?: string): Promise<{ merged: boolean; refused?: string }> {
    try {
      if (this.kind === 'gitea') {
        await this.octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
          ...this.where,
          pull_number: number,
          Do: 'merge',
          ...(message ? { MergeMessageField: message } : {}),
        });
      } else {
        await this.octokit.rest.pulls.merge({
          ...this.where,
          pull_number: number,
          ...(message ? { commit_title: message } : {}),
        });
      }
      return { merged: true };
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 405 || status === 409 || status === 422)
        return { merged: false, refused: `HTTP ${status}: ${(err as Error).message}` };
      throw err;
    }
  }

  // --- issues with their planning fields (the backlog) -------------------------------------------

  /**
   * Issues as `listIssues` returns them, plus when each was opened and closed and its milestone with
   * its due date. `since` keeps those updated at or after that time (both forges filter on it).
   */
  async listPlannedIssues(
    q: { labels?: string[]; state?: 'open' | 'closed' | 'all'; since?: Date } = {},
  ): Promise<ForgePlannedIssue[]> {
    const labels = q.labels ?? [];
    const raw = await this.octokit.paginate(this.octokit.rest.issues.listForRepo, {
      ...this.where,
      state: q.state ?? 'open',
      per_page: 50,
      ...(labels.length ? { labels: labels.join(',') } : {}),
      ...(q.since ? { since: q.since.toISOString() } : {}),
      ...(this.kind === 'gitea' ? { type: 'issues' } : {}),
    } as Parameters<Octokit['rest']['issues']['listForRepo']>[0]);
    return raw
      .filter((i) => !(i as { pull_request?: unknown }).pull_request)
      .map((i) => toPlannedIssue(i as RawIssue & RawPlanning))
      .filter((i) => labels.every((l) => i.labels.includes(l)));
  }
}

/** An issue with what planning needs: its age, when it closed, and its milestone's due date. */
export interface ForgePlannedIssue extends ForgeIssue {
  createdAt: string;
  closedAt?: string;
  milestone?: { title: string; dueOn?: string; state: 'open' | 'closed' };
}

interface RawPlanning {
  created_at: string;
  closed_at?: string | null;
  milestone?: { title: string; due_on?: string | null; state?: string } | null;
}

function toPlannedIssue(i: RawIssue & RawPlanning): ForgePlannedIssue {
  const m = i.milestone;
  return {
    ...toIssue(i),
    createdAt: i.created_at,
    ...(i.closed_at ? { closedAt: i.closed_at } : {}),
    ...(m
      ? {
          milestone: {
            title: m.title,
            ...(m.due_on ? { dueOn: m.due_on } : {}),
            state: m.state === 'closed' ? 'closed' : 'open',
          },
        }
      : {}),
  };
}

/** Labels as the forge's API takes them: GitHub by name, Gitea by id (typed as GitHub's). */
function labelArgument(names: string[], giteaIds: Map<string, number> | undefined): string[] {
  return giteaIds ? (names.map((n) => giteaIds.get(n)!) as unknown as string[]) : names;
}

interface RawIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels?: (string | { name?: string | null })[];
  assignees?: ({ login?: string } | null)[] | null;
  html_url: string;
  updated_at: string;
}

function toIssue(i: RawIssue): ForgeIssue {
  return {
    number: i.number,
    title: i.title,
    body: i.body ?? '',
    state: i.state === 'closed' ? 'closed' : 'open',
    labels: (i.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
    assignees: (i.assignees ?? []).map((a) => a?.login ?? '').filter(Boolean),
    htmlUrl: i.html_url,
    updatedAt: i.updated_at,
  };
}

function toComment(c: {
  id: number;
  body?: string | null;
  created_at: string;
  user?: { login?: string } | null;
}): ForgeComment {
  return { id: c.id, body: c.body ?? '', createdAt: c.created_at, author: c.user?.login ?? '' };
}

function toPull(p: {
  number: number;
  title: string;
  state: string;
  merged?: boolean | null;
  merged_at?: string | null;
  head: { ref: string; sha: string; repo?: { full_name?: string } | null };
  base: { ref: string };
  html_url: string;
}): ForgePull {
  return {
    number: p.number,
    title: p.title,
    state: p.state === 'closed' ? 'closed' : 'open',
    merged: Boolean(p.merged ?? p.merged_at),
    head: p.head.ref,
    base: p.base.ref,
    headSha: p.head.sha,
    htmlUrl: p.html_url,
    headRepo: p.head.repo?.full_name ?? '',
  };
}
