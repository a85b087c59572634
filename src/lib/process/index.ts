export { splitCommandLine, joinCommandLine, ShellWordsError } from './shell-words.js';
export {
  runLogged,
  groupAlive,
  groupMembers,
  processAlive,
  markedProcesses,
  DEFAULT_KILL_GRACE_MS,
  type LoggedRunSpec,
  type LoggedRunOutcome,
  type EndedProcess,
} from './run.js';
