import { parseArgs } from 'node:util';
import { TOPIC_SPECS, type TopicName } from '../services/lib/events.js';

export interface TrafficOptions {
  /** User actions per second (0: no user traffic, only the switches). */
  rate: number;
  /** Seconds to run; 0 runs until stopped. */
  duration: number;
  tenants: string[];
  /** Topics to make quiet while this runs. */
  quietTopics: TopicName[];
  /** A consumer group that joins, commits once, then stops committing while traffic goes on. */
  stallGroup?: string;
  stallTopic: TopicName;
  /** Seconds between constitution updates (0: none). */
  constitutionEvery: number;
  /** Seconds between training mode switches (0: none). */
  trainingEvery: number;
  /** Seconds between progress lines (0: only the summary). */
  reportEvery: number;
  help: boolean;
}

export const USAGE = `Usage: npm run staging:traffic -- [options]

Exercises the staging services the way users do, so all four topics carry live traffic.

  --rate <n>                user actions per second (default 5; 0 = only the switches below)
  --duration <seconds>      how long to run (default 60; 0 = until stopped with Ctrl-C)
  --tenants <a,b,...>       tenants to act for (default acme,globex,initech,umbrella)
  --quiet-topic <topic>     make a topic go quiet while this runs: the service that produces it stops
                            producing to it (for everyone) until the run ends; repeatable
  --stall-group <group>     join this consumer group, commit once, then stop committing while
                            traffic goes on (a stalled consumer group)
  --stall-topic <topic>     the topic the stalled group reads (default conversation.events)
  --constitution-every <s>  seconds between constitution updates (default 20; 0 = none)
  --training-every <s>      seconds between training mode switches (default 5; 0 = none)
  --report-every <s>        seconds between progress lines (default 10; 0 = summary only)

Topics: ${TOPIC_SPECS.map((t) => t.name).join(', ')}.`;

export class OptionError extends Error {}

function number(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > max)
    throw new OptionError(`--${flag} ${JSON.stringify(raw)} is not allowed: give a number from 0 to ${max}`);
  return n;
}

function topic(flag: string, raw: string): TopicName {
  const t = TOPIC_SPECS.find((s) => s.name === raw);
  if (!t)
    throw new OptionError(
      `--${flag} ${JSON.stringify(raw)} is not a staging topic: use one of ${TOPIC_SPECS.map((s) => s.name).join(', ')}`,
    );
  return t.name;
}

export function parseTrafficOptions(argv: string[]): TrafficOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        rate: { type: 'string' },
        duration: { type: 'string' },
        tenants: { type: 'string' },
        'quiet-topic': { type: 'string', multiple: true },
        'stall-group': { type: 'string' },
        'stall-topic': { type: 'string' },
        'constitution-every': { type: 'string' },
        'training-every': { type: 'string' },
        'report-every': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new OptionError(`${(err as Error).message}\n\n${USAGE}`);
  }
  const v = parsed.values;
  const tenants = (v.tenants ?? 'acme,globex,initech,umbrella')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const bad = tenants.find((t) => !/^[a-z][a-z0-9-]{1,62}$/.test(t));
  if (bad !== undefined || tenants.length === 0)
    throw new OptionError(
      `--tenants ${JSON.stringify(v.tenants)} is not allowed: give comma-separated tenant ids (lower-case letters, digits, '-')`,
    );
  const stallGroup = v['stall-group'];
  if (stallGroup !== undefined && !/^[A-Za-z0-9._-]{1,200}$/.test(stallGroup))
    throw new OptionError(
      `--stall-group ${JSON.stringify(stallGroup)} is not allowed: use letters, digits, '.', '_' or '-'`,
    );
  return {
    rate: number('rate', v.rate, 5, 200),
    duration: number('duration', v.duration, 60, 7 * 86400),
    tenants,
    quietTopics: [...new Set((v['quiet-topic'] ?? []).map((t) => topic('quiet-topic', t)))],
    ...(stallGroup !== undefined ? { stallGroup } : {}),
    stallTopic: topic('stall-topic', v['stall-topic'] ?? 'conversation.events'),
    constitutionEvery: number('constitution-every', v['constitution-every'], 20, 86400),
    trainingEvery: number('training-every', v['training-every'], 5, 86400),
    reportEvery: number('report-every', v['report-every'], 10, 86400),
    help: v.help ?? false,
  };
}
