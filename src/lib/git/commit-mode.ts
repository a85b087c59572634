import { setTimeout as sleep } from 'node:timers/promises';
import { InputError } from '../errors.js';
import type { Forge, ForgePull } from '../forge/index.js';
import { commitBack, type CommitBackOptions, type CommitBackResult } from './commit-back.js';

/**
 * Commit-back's two ways to a branch, planned once for every action that commits: `push` commits
 * straight onto the branch; `pull-request` commits onto a branch of the step's own and opens (or
 * updates) a pull request into it, for branches a protection rule keeps from direct pushes.
 */
export type CommitMode = 'push' | 'pull-request';

/** What is committed, in the pull request's branch name: `command-center/<kind>-<date>`. */
export type CommitKind = 'evidence' | 'contracts';

export interface CommitPlan {
  mode: CommitMode;
  /** The branch the commit is pushed to: `target` itself, or the pull request's head. */
  branch: string;
  /** The branch the files belong on (the pull request's base in pull-request mode). */
  target: string;
  message: string;
  pushAttempts: number;
  pullRequest?: {
    title: string;
    autoMerge: boolean;
    /** The forge's API; the token is a secret, masked when the inputs are read. */
    token: string;
    apiUrl?: string;
  };
}

export function pullRequestBranch(kind: CommitKind, date: string): string {
  return `command-center/${kind}-${date}`;
}

/**
 * The commit-back plan from the shared inputs. Pure: a pull request without a token, or auto-merge
 * without a pull request, is refused before anything is written.
 */
export function planCommit(o: {
  mode: CommitMode;
  kind: CommitKind;
  date: string;
  target: string;
  /** The `commit-message` input as given, and its default (the default drops `[skip ci]` in a pull request). */
  message: string;
  defaultMessage: string;
  pushAttempts: number;
  autoMerge: boolean;
  token: string | undefined;
  apiUrl: string | undefined;
}): CommitPlan {
  let message = o.message.replaceAll('{date}', o.date);
  if (o.mode === 'push') {
    if (o.autoMerge) {
      throw new InputError(
        'auto-merge',
        'true',
        'auto-merge applies to a pull request: set commit-mode: pull-request, or leave auto-merge false',
      );
    }
    return { mode: 'push', branch: o.target, target: o.target, message, pushAttempts: o.pushAttempts };
  }
  // Outside a runner (the CLI) nobody expands the default `${{ github.token }}`: that is no token.
  const token = o.token && !/^\$\{\{.*\}\}$/s.test(o.token.trim()) ? o.token : undefined;
  if (!token) {
    throw new InputError(
      'token',
      '',
      "commit-mode: pull-request opens the pull request through the forge's API: give a token that may write contents and pull requests (default: the job's github.token with contents: write and pull-requests: write)",
    );
  }
  // `[skip ci]` on a pull request's head would keep its required checks from ever running.
  if (o.message === o.defaultMessage) message = message.replace(/\s*\[skip ci\]/g, '');
  return {
    mode: 'pull-request',
    branch: pullRequestBranch(o.kind, o.date),
    target: o.target,
    message,
    pushAttempts: o.pushAttempts,
    pullRequest: {
      title: message.split('\n')[0]!.trim(),
      autoMerge: o.autoMerge,
      token,
      ...(o.apiUrl ? { apiUrl: o.apiUrl } : {}),
    },
  };
}

/** The forge calls pull-request mode makes (src/lib/forge's client). */
export type PullRequestForge = Pick<
  Forge,
  'owner' | 'repo' | 'listPulls' | 'createPull' | 'updatePull' | 'mergePull'
>;

export interface PullRequestOutcome {
  number: number;
  url: string;
  /** `opened` a new one, or `updated` the one already open for the head branch. */
  action: 'opened' | 'updated';
  head: string;
  base: string;
  merged: boolean;
  /** Why the forge refused the auto-merge (the pull request stays open). */
  mergeRefused?: string;
}

export interface CommitOutcome {
  commit: CommitBackResult;
  /** The branch the files belong on (the pull request's base). */
  target: string;
  pullRequest?: PullRequestOutcome;
  /** Things a person should know that do not fail the step (an auto-merge refused). */
  warnings: string[];
}

/** The pull request's description: what it carries, the run, and that the branch is the step's own. */
export function renderPullRequestBody(o: {
  what: string;
  action: string;
  date: string;
  head: string;
  files: readonly string[];
  runUrl?: string;
}): string {
  // Names are data: a backtick would end the code span and let the rest be read as Markdown.
  const shown = o.files.slice(0, 30).map((f) => `- \`${f.replaceAll('`', '%60')}\``);
  if (o.files.length > shown.length) shown.push(`- … and ${o.files.length - shown.length} more`);
  return [
    `<!-- command-center:${o.action}:pull-request -->`,
    `${o.what} for ${o.date}, committed by Command Center's \`${o.action}\`${o.runUrl ? ` in [this run](${o.runUrl})` : ''}.`,
    '',
    `${o.files.length} file(s) changed:`,
    ...shown,
    '',
    `The branch \`${o.head}\` belongs to the step: each run for ${o.date} replaces it with one commit on the base branch's tip. ` +
      'A commit pushed to it by anyone else stops the step from replacing it.',
    '',
  ].join('\n');
}

/**
 * Carries out the plan: commits the owned paths (see commitBack) onto the target, or onto the pull
 * request's head branch, then opens the pull request or updates the one already open for that head,
 * and tries the auto-merge. A refused merge is a warning, never an error: the pull request waits.
 */
export async function deliverCommit(
  plan: CommitPlan,
  commit: Omit<CommitBackOptions, 'branch' | 'onto' | 'message' | 'pushAttempts'>,
  pr?: {
    forge: PullRequestForge;
    body: (files: readonly string[]) => string;
    /** Merge attempts while the forge is still working out mergeability (default 10, 1 s apart). */
    mergeAttempts?: number;
    mergeDelayMs?: number;
  },
): Promise<CommitOutcome> {
  const log = commit.log ?? (() => {});
  const result = await commitBack({
    ...commit,
    branch: plan.branch,
    message: plan.message,
    pushAttempts: plan.pushAttempts,
    ...(plan.mode === 'pull-request' ? { onto: plan.target } : {}),
  });
  if (plan.mode === 'push' || !plan.pullRequest) return { commit: result, target: plan.target, warnings: [] };
  if (!pr) throw new Error('commit-back: pull-request mode needs the forge client');
  if (result.files.length === 0) {
    log(`commit-back: ${plan.target} already has these contents; no pull request is needed`);
    return { commit: result, target: plan.target, warnings: [] };
  }

  const { forge } = pr;
  const title = plan.pullRequest.title;
  const body = pr.body(result.files);
  // Only a pull request from this repository's own branch: a fork's branch of the same name is
  // someone else's, and updating or merging it would publish their commits.
  const here = `${forge.owner}/${forge.repo}`.toLowerCase();
  const openFor = async (): Promise<ForgePull | undefined> =>
    (await forge.listPulls({ state: 'open', head: plan.branch, base: plan.target })).find(
      (p) => p.headRepo.toLowerCase() === here,
    );
  let pull = await openFor();
  let action: PullRequestOutcome['action'] = 'updated';
  if (pull) {
    pull = await forge.updatePull(pull.number, { title, body });
  } else {
    try {
      pull = await forge.createPull({ title, body, head: plan.branch, base: plan.target });
      action = 'opened';
    } catch (err) {
      // Another run opened it first (GitHub 422, Gitea 409): update that one instead.
      const status = (err as { status?: number }).status;
      const raced = status === 409 || status === 422 ? await openFor() : undefined;
      if (!raced) throw err;
      pull = await forge.updatePull(raced.number, { title, body });
    }
  }
  log(
    `commit-back: ${action} pull request #${pull.number} (${plan.branch} → ${plan.target}): ${pull.htmlUrl}`,
  );
  const outcome: PullRequestOutcome = {
    number: pull.number,
    url: pull.htmlUrl,
    action,
    head: plan.branch,
    base: plan.target,
    merged: false,
  };
  const warnings: string[] = [];
  if (plan.pullRequest.autoMerge) {
    const attempts = pr.mergeAttempts ?? 10;
    let refused = '';
    for (let i = 1; i <= attempts; i++) {
      const m = await forge.mergePull(pull.number, title);
      if (m.merged) {
        outcome.merged = true;
        break;
      }
      refused = m.refused ?? 'refused';
      // Gitea works out mergeability in the background after a push and says "Please try again
      // later" until it knows; any other refusal (a required check, protection) is the answer.
      if (!/try again later/i.test(refused)) break;
      if (i < attempts) await sleep(pr.mergeDelayMs ?? 1_000);
    }
    if (outcome.merged) {
      log(`commit-back: merged pull request #${pull.number} into ${plan.target}`);
    } else {
      outcome.mergeRefused = refused;
      warnings.push(
        `auto-merge: the forge did not merge pull request #${pull.number} into ${plan.target} (${refused}); ` +
          `it stays open for its checks or a reviewer: ${pull.htmlUrl}`,
      );
    }
  }
  return { commit: result, target: plan.target, pullRequest: outcome, warnings };
}

/** The step summary's lines about where the commit went (Markdown). */
export function commitSummaryLines(what: string, o: CommitOutcome): string[] {
  const c = o.commit;
  const lines: string[] = [];
  if (c.pushed)
    lines.push(
      `Committed \`${c.commitSha.slice(0, 12)}\` to \`${c.branch}\` (${c.attempts} push attempt(s), ${c.rebases} rebase(s)${c.replaced ? ', replacing the branch' : ''}).`,
    );
  else if (c.upToDate && c.files.length === 0)
    lines.push(`\`${o.target}\` already had this ${what}; nothing was committed.`);
  else if (c.upToDate) lines.push(`\`${c.branch}\` already had this ${what}; nothing was pushed.`);
  const pr = o.pullRequest;
  if (pr) {
    lines.push(
      `Pull request [#${pr.number}](${pr.url}) ${pr.action} from \`${pr.head}\` into \`${pr.base}\`${pr.merged ? ', and merged' : ''}.`,
    );
    if (pr.mergeRefused)
      lines.push(`Auto-merge was refused (${pr.mergeRefused}); the pull request stays open: ${pr.url}`);
  }
  return lines;
}
