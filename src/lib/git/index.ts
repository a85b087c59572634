// Commit-back and the small git client it is built on (the `git` CLI the runner already has).
export { commitBack, ownedPaths, BOT_AUTHOR, CommitBackConflictError, CommitBackPushError, type CommitBackOptions, type CommitBackResult, type CommitAuthor } from './commit-back.js';
export { branchFromEnv, branchInput, isBranchName } from './branch.js';
export { classifyPush, retryDelayMs, type PushOutcome } from './push.js';
export { git, gitBytes, gitOut, GitCommandError, type GitOptions, type GitRun } from './run.js';
