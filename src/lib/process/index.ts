export { splitCommandLine, joinCommandLine, ShellWordsError } from './shell-words.js';
export { runLogged, groupAlive, groupMembers, processAlive, DEFAULT_KILL_GRACE_MS, type LoggedRunSpec, type LoggedRunOutcome } from './run.js';
