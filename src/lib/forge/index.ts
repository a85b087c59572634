// The only code that talks to the forge's API (GitHub, GitHub Enterprise Server, Gitea/Forgejo).
export {
  Forge,
  ForgePermissionError,
  forgeKindOf,
  type CommitState,
  type ForgeComment,
  type ForgeIssue,
  type ForgeKind,
  type ForgeOptions,
  type ForgePlannedIssue,
  type ForgePull,
} from './client.js';
export { forgeOfRun } from './from-env.js';
export { forgeFileUrl } from './links.js';
