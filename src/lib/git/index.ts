// Commit-back and the small git client it is built on (the `git` CLI the runner already has).
export {
  commitBack,
  ownedPaths,
  BOT_AUTHOR,
  CommitBackConflictError,
  CommitBackOwnershipError,
  CommitBackPushError,
  type Claim,
  type CommitBackOptions,
  type CommitBackResult,
  type CommitAuthor,
  type RenderedFile,
} from './commit-back.js';
export { branchFromEnv, branchInput, isBranchName } from './branch.js';
export { classifyPush, remoteLines, retryDelayMs, type PushOutcome } from './push.js';
export { git, gitBytes, gitOut, GitCommandError, type GitOptions, type GitRun } from './run.js';
export {
  commitSummaryLines,
  deliverCommit,
  planCommit,
  pullRequestBranch,
  renderPullRequestBody,
  type CommitKind,
  type CommitMode,
  type CommitOutcome,
  type CommitPlan,
  type PullRequestForge,
  type PullRequestOutcome,
} from './commit-mode.js';
