// infra-pulse vs the usual morning script, measured in the same run on the stack's servers: Kafka,
// the Redis primary and replica, the PostgreSQL primary and standby, Prometheus and Alertmanager.
// The script asks the same servers the same questions one after another, as a person's shell script
// does: `redis-cli ping` + `INFO`, `pg_isready` + `psql` (role, replication, connections, oldest
// transaction), `kafka-broker-api-versions.sh` (its class, run as the script runs it), the scrape
// targets with curl, `amtool alert query` and `amtool silence query`. Both are whole processes, timed
// from start to exit. Goals: the pulse ≥ 3× faster in wall time, and its own wall time ≤ 1.3× its
// slowest single check (the checks run in parallel). Needs the stack: npm run stack:up.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { NODE24, ROOT, median, printTable, record } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STATE = process.env.STACK_STATE ?? join(ROOT, '.stack');
const H = '127.0.0.1';
const PORTS = {
  kafka: process.env.KAFKA_PORT ?? '19092',
  redis: process.env.REDIS_PORT ?? '16379',
  redisReplica: process.env.REDIS_REPLICA_PORT ?? '16380',
  pg: process.env.PG_PORT ?? '15432',
  pgStandby: process.env.PG_STANDBY_PORT ?? '15433',
  prometheus: process.env.PROMETHEUS_PORT ?? '19090',
  alertmanager: process.env.ALERTMANAGER_PORT ?? '19193',
};
const secret = (path) => {
  try {
    return readFileSync(join(STATE, path), 'utf8').trim();
  } catch {
    throw new Error(`no password at ${join(STATE, path)}: start the stack first (npm run stack:up)`);
  }
};
const redisPassword = secret('redis/passwords/cc-monitor');
const pgPassword = secret('postgres/passwords/cc_monitor');
const kafkaLib = execFileSync(
  'bash',
  ['-c', `source ${ROOT}/stack/lib.sh; source ${ROOT}/stack/kafka/kafka.sh; kafka_lib 4.3.1`],
  { encoding: 'utf8' },
).trim();

// The tool's own request timeout is short for a loaded machine; a slow answer must still be an answer.
const KAFKA_CLIENT_CONFIG = join(mkdtempSync(join(tmpdir(), 'bench-pulse-kafka-')), 'client.properties');
writeFileSync(KAFKA_CLIENT_CONFIG, 'request.timeout.ms=60000\ndefault.api.timeout.ms=60000\n');

// The passwords travel in the environment (REDISCLI_AUTH, PGPASSWORD), never on a command line.
const PG_PRIMARY_SQL = `SELECT pg_is_in_recovery(), (SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'),
  (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'), current_setting('max_connections'),
  (SELECT max(now() - xact_start) FROM pg_stat_activity WHERE pid <> pg_backend_pid())`;
const PG_STANDBY_SQL = `SELECT pg_is_in_recovery(), (SELECT status FROM pg_stat_wal_receiver),
  pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), now() - pg_last_xact_replay_timestamp(),
  (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'), current_setting('max_connections')`;
const script = `
set -u
status=0
for port in ${PORTS.redis} ${PORTS.redisReplica}; do
  redis-cli -h ${H} -p $port --user cc-monitor --no-auth-warning ping || status=1
  redis-cli -h ${H} -p $port --user cc-monitor --no-auth-warning info > /dev/null || status=1
done
pg_isready -h ${H} -p ${PORTS.pg} -d staging -U cc_monitor || status=1
psql -h ${H} -p ${PORTS.pg} -d staging -U cc_monitor -XAtc "${PG_PRIMARY_SQL}" || status=1
pg_isready -h ${H} -p ${PORTS.pgStandby} -d staging -U cc_monitor || status=1
psql -h ${H} -p ${PORTS.pgStandby} -d staging -U cc_monitor -XAtc "${PG_STANDBY_SQL}" || status=1
java -cp '${kafkaLib}/*' org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server ${H}:${PORTS.kafka} --command-config ${KAFKA_CLIENT_CONFIG} > /dev/null || status=1
curl -sf http://${H}:${PORTS.prometheus}/api/v1/targets > /dev/null || status=1
amtool alert query --alertmanager.url=http://${H}:${PORTS.alertmanager} || status=1
amtool silence query --alertmanager.url=http://${H}:${PORTS.alertmanager} || status=1
exit $status
`;

const pulseInputs = {
  kafka: `brokers: ${H}:${PORTS.kafka}\nexpected-brokers: 1`,
  redis: `- name: primary\n  address: ${H}:${PORTS.redis}\n  role: primary\n  username: cc-monitor\n  min-replicas: 1\n- name: replica\n  address: ${H}:${PORTS.redisReplica}\n  role: replica\n  username: cc-monitor`,
  'redis-password': redisPassword,
  postgres: `- name: primary\n  address: ${H}:${PORTS.pg}\n  database: staging\n  user: cc_monitor\n  role: primary\n  min-standbys: 1\n- name: standby\n  address: ${H}:${PORTS.pgStandby}\n  database: staging\n  user: cc_monitor\n  role: standby`,
  'postgres-password': pgPassword,
  'alertmanager-url': `http://${H}:${PORTS.alertmanager}`,
  'prometheus-url': `http://${H}:${PORTS.prometheus}`,
  timeout: '30s',
  'check-timeout': '10s',
};

const ACTION = parse(readFileSync(join(ROOT, 'actions/infra-pulse/action.yml'), 'utf8'));

function timed(cmd, args, env) {
  const started = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - started, ...r };
}

function runScript() {
  const r = timed('bash', ['-c', script], {
    ...process.env,
    REDISCLI_AUTH: redisPassword,
    PGPASSWORD: pgPassword,
  });
  if (r.status !== 0) throw new Error(`the script failed (exit ${r.status}): ${r.stderr.slice(-1500)}`);
  return r.ms;
}

function runPulse() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pulse-'));
  const files = {
    GITHUB_OUTPUT: 'output',
    GITHUB_STEP_SUMMARY: 'summary',
    GITHUB_ENV: 'env',
    GITHUB_STATE: 'state',
  };
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_WORKSPACE: dir, RUNNER_TEMP: dir };
  for (const [k, f] of Object.entries(files)) {
    env[k] = join(dir, f);
    writeFileSync(env[k], '');
  }
  // The defaults of action.yml, as the runner passes them, then the inputs.
  for (const [k, v] of Object.entries(ACTION.inputs ?? {}))
    if (v.default !== undefined) env[`INPUT_${k.toUpperCase()}`] = String(v.default);
  for (const [k, v] of Object.entries(pulseInputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = timed(NODE24, [join(ROOT, 'dist/infra-pulse/index.js')], env);
  const resultPath = /^result-path<<(\S+)\n(.*)\n\1$/m.exec(readFileSync(env.GITHUB_OUTPUT, 'utf8'))?.[2];
  if (!resultPath) throw new Error(`the pulse wrote no result (exit ${r.status}): ${r.stdout.slice(-1500)}`);
  const report = JSON.parse(readFileSync(resultPath, 'utf8')).result;
  // Alerts may fire and a replica may lag; what makes a measurement is that every server answered.
  const unanswered = report.checks.filter((c) => c.metrics.reachable === false);
  if (unanswered.length)
    throw new Error(
      `not every server answered the pulse: ${unanswered.map((c) => `${c.id}: ${c.summary}`).join('; ')}`,
    );
  return {
    ms: r.ms,
    wallMs: report.wallMs,
    slowestMs: report.slowestMs,
    slowest: report.checks.sort((a, b) => b.durationMs - a.durationMs)[0].id,
  };
}

/**
 * The shared stack is also used by failure tests that stop a server for a while, and a loaded machine
 * can time a JVM tool out: a measurement whose servers did not all answer is not a measurement. It is
 * retried (after a pause) up to three times, and the number of retries is printed with the figures.
 */
let retries = 0;
function measured(fn) {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (err) {
      if (attempt >= 3) throw err;
      retries++;
      console.error(`retrying: ${err.message.split('\n')[0]}`);
      execFileSync('sleep', ['15']);
    }
  }
}

/**
 * Failure tests of the shared stack stop a server while they hold $STACK_STATE/fault.lock (see
 * tests/support/infra.ts). Each measured pair holds it too, so it never times a stopped server, and
 * lets go between pairs so those tests wait a minute at most.
 */
const FAULT_LOCK = join(STATE, 'fault.lock');
function holderAlive() {
  try {
    process.kill(Number(readFileSync(join(FAULT_LOCK, 'pid'), 'utf8')), 0);
    return true;
  } catch {
    try {
      return Date.now() - statSync(FAULT_LOCK).mtimeMs < 5000;
    } catch {
      return false;
    }
  }
}
function withFaultLock(fn) {
  for (;;) {
    try {
      mkdirSync(FAULT_LOCK);
      writeFileSync(join(FAULT_LOCK, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (!holderAlive()) rmSync(FAULT_LOCK, { recursive: true, force: true });
      else execFileSync('sleep', ['1']);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(FAULT_LOCK, { recursive: true, force: true });
  }
}

// One warm-up of each (disk caches, the JVM's class data), then alternate so drift hits both alike.
withFaultLock(() => {
  measured(runScript);
  measured(runPulse);
});
const scriptTimes = [];
const pulseRuns = [];
for (let i = 0; i < RUNS; i++)
  withFaultLock(() => {
    if (i % 2 === 0) {
      scriptTimes.push(measured(runScript));
      pulseRuns.push(measured(runPulse));
    } else {
      pulseRuns.push(measured(runPulse));
      scriptTimes.push(measured(runScript));
    }
  });
const scriptMs = median(scriptTimes);
const pulseMs = median(pulseRuns.map((r) => r.ms));
const inside = median(pulseRuns.map((r) => r.wallMs));
const parallelRatio = median(pulseRuns.map((r) => r.wallMs / r.slowestMs));
const speedup = scriptMs / pulseMs;

printTable(
  ['what (median of ' + RUNS + ')', 'wall ms'],
  [
    [
      'usual script, one after another (redis-cli, pg_isready+psql, kafka-broker-api-versions, curl, amtool)',
      scriptMs.toFixed(0),
    ],
    ['infra-pulse, whole process (node24 bundle)', pulseMs.toFixed(0)],
    ['infra-pulse, its checks in parallel (inside the process)', inside.toFixed(0)],
    [
      `infra-pulse, slowest single check (${pulseRuns.at(-1).slowest})`,
      median(pulseRuns.map((r) => r.slowestMs)).toFixed(0),
    ],
  ],
);
console.log(
  `\nspeed-up vs the script: ${speedup.toFixed(2)}× (goal ≥ 3×) ${speedup >= 3 ? 'met' : 'NOT met'}`,
);
console.log(
  `pulse wall / slowest single check: ${parallelRatio.toFixed(2)}× (goal ≤ 1.3×) ${parallelRatio <= 1.3 ? 'met' : 'NOT met'}`,
);
record('infra-pulse', {
  runs: RUNS,
  scriptMs: Math.round(scriptMs),
  pulseMs: Math.round(pulseMs),
  pulseChecksWallMs: Math.round(inside),
  speedup: Number(speedup.toFixed(2)),
  wallOverSlowest: Number(parallelRatio.toFixed(2)),
  retries,
});
