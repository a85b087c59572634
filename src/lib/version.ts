import pkg from '../../package.json' with { type: 'json' };

/** Command Center's own version, as files it writes name their producer (a HAR's creator). */
export const COMMAND_CENTER_VERSION: string = pkg.version;
