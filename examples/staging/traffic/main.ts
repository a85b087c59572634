import { kafkaBrokers, serviceUrl } from '../services/lib/config.js';
import { topicSpec, type TopicName } from '../services/lib/events.js';
import { newTraceId } from '../services/lib/trace.js';
import { quietKnownWarnings } from '../services/lib/warnings.js';
import { callJson, callSocket, callStream, loadChatPage, Stats } from './client.js';
import { OptionError, parseTrafficOptions, USAGE, type TrafficOptions } from './options.js';
import { pickAction, pickPrompt, pickRole, Rotation } from './scenario.js';
import { StalledConsumer } from './stall.js';

// `npm run staging:traffic`: users starting sessions, asking (some prompts get denied), streaming
// answers; governance updating constitutions; trainers switching training mode. Every call goes
// through the real services, so every message on the topics is one the services produced.

const log = (line: string) =>
  process.stdout.write(`[traffic ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const urls = {
  policy: serviceUrl('policy-engine'),
  constitution: serviceUrl('constitution'),
  orchestrator: serviceUrl('orchestrator'),
};
const OWNER_URL: Record<string, string> = {
  constitution: urls.constitution,
  'policy-engine': urls.policy,
  orchestrator: urls.orchestrator,
};

async function requireServices(): Promise<void> {
  for (const [name, url] of Object.entries(urls)) {
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (!ok)
      throw new OptionError(
        `the ${name} service is not ready at ${url}/health. Start the staging system first: \`npm run stack:up\` (or \`bash stack/stack.sh up staging\`).`,
      );
  }
}

async function setQuiet(topic: TopicName, seconds: number): Promise<void> {
  const owner = OWNER_URL[topicSpec(topic)!.producer]!;
  const res = await fetch(`${owner}/admin/quiet`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ topic, seconds }),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`could not switch ${topic} quiet (${res.status}): ${await res.text()}`);
}

class Users {
  private readonly sessions = new Map<string, string>();
  inflight = 0;

  constructor(
    private readonly opts: TrafficOptions,
    private readonly stats: Stats,
  ) {}

  async act(): Promise<void> {
    const tenant = this.opts.tenants[Math.floor(Math.random() * this.opts.tenants.length)]!;
    const session = this.sessions.get(tenant);
    const action = pickAction(session !== undefined, Math.random);
    const traceId = newTraceId();
    if (action === 'start-session' || !session) {
      const user = `user-${Math.floor(Math.random() * 50)}`;
      const r = await callJson(this.stats, 'start-session', `${urls.orchestrator}/v1/sessions/start`, {
        method: 'POST',
        body: { tenant, user, role: pickRole(Math.random) },
        traceId,
      });
      if (r?.status === 201) this.sessions.set(tenant, String(r.body.session_id));
      // A new session is a user opening the chat client.
      await loadChatPage(this.stats, urls.orchestrator);
      return;
    }
    const prompt = pickPrompt(Math.random);
    if (action === 'step') {
      const r = await callJson(this.stats, 'step', `${urls.orchestrator}/v1/conversation/step`, {
        method: 'POST',
        body: { session_id: session, prompt },
        traceId,
      });
      if (r?.status === 404) this.sessions.delete(tenant); // the session expired
      return;
    }
    // Streamed answers come half over server-sent events, half over the chat client's WebSocket.
    if (Math.random() < 0.5) {
      const ws = urls.orchestrator.replace(/^http/, 'ws');
      const r = await callSocket(
        this.stats,
        `${ws}/v1/conversation/ws?${new URLSearchParams({ session_id: session })}`,
        prompt,
      );
      if (r.status === 404) this.sessions.delete(tenant);
      return;
    }
    await callStream(
      this.stats,
      `${urls.orchestrator}/v1/conversation/stream?${new URLSearchParams({ session_id: session, prompt })}`,
      traceId,
    );
  }
}

async function switchTraining(stats: Stats, tenant: string, round: number): Promise<void> {
  const status = await callJson(
    stats,
    'training-status',
    `${urls.orchestrator}/v1/training/status/${tenant}`,
    { method: 'GET' },
  );
  if (!status || status.status !== 200) return;
  const trainer = `trainer-${round % 3}`;
  if (status.body.enabled) {
    await callJson(stats, 'training-disable', `${urls.orchestrator}/v1/training/disable`, {
      method: 'POST',
      body: { tenant, requested_by: trainer },
    });
  } else {
    await callJson(stats, 'training-enable', `${urls.orchestrator}/v1/training/enable`, {
      method: 'POST',
      body: { tenant, requested_by: trainer },
    });
    // Now and then a second trainer tries too and is turned away (409), as happens on shared tenants.
    if (round % 4 === 3)
      await callJson(stats, 'training-enable', `${urls.orchestrator}/v1/training/enable`, {
        method: 'POST',
        body: { tenant, requested_by: `trainer-${(round + 1) % 3}` },
      });
  }
}

async function republishConstitution(stats: Stats, tenant: string): Promise<void> {
  const current = await callJson(
    stats,
    'constitution-get',
    `${urls.constitution}/v1/constitution/${tenant}`,
    { method: 'GET' },
  );
  if (current?.status !== 200) return;
  const bundle = current.body.bundle as { threshold: number; rules: unknown[]; role_modifiers: unknown };
  await callJson(stats, 'constitution-put', `${urls.constitution}/v1/constitution/${tenant}`, {
    method: 'PUT',
    body: {
      threshold: bundle.threshold,
      rules: bundle.rules,
      role_modifiers: bundle.role_modifiers,
      updated_by: 'governance-bot',
    },
  });
}

async function main(): Promise<number> {
  quietKnownWarnings();
  let opts: TrafficOptions;
  try {
    opts = parseTrafficOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    await requireServices();
  } catch (err) {
    process.stderr.write(`staging:traffic: ${(err as Error).message}\n`);
    return 1;
  }

  const stats = new Stats();
  const started = Date.now();
  const timers: NodeJS.Timeout[] = [];
  let stalled: StalledConsumer | undefined;
  const users = new Users(opts, stats);
  let stopping = false;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const stop = () => {
    if (stopping) return;
    stopping = true;
    finish();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  log(
    `rate ${opts.rate}/s, ${opts.duration ? `${opts.duration}s` : 'until stopped'}, tenants ${opts.tenants.join(',')}`,
  );
  try {
    // A quiet switch expires by itself shortly after the run would end, even if this process dies.
    const quietSeconds = () =>
      opts.duration ? Math.min(3600, Math.ceil(opts.duration - (Date.now() - started) / 1000) + 5) : 120;
    for (const t of opts.quietTopics) {
      await setQuiet(t, quietSeconds());
      log(`${t} is quiet while this runs`);
    }
    if (opts.quietTopics.length && !opts.duration)
      timers.push(
        setInterval(
          () =>
            opts.quietTopics.forEach(
              (t) => void setQuiet(t, quietSeconds()).catch((e: Error) => log(e.message)),
            ),
          60_000,
        ),
      );
    if (opts.stallGroup) {
      stalled = new StalledConsumer(kafkaBrokers(), opts.stallGroup, opts.stallTopic);
      await stalled.start(log);
    }

    if (opts.rate > 0) {
      timers.push(
        setInterval(() => {
          if (stopping || users.inflight >= 50) return;
          users.inflight++;
          void users.act().finally(() => users.inflight--);
        }, 1000 / opts.rate),
      );
    }
    if (opts.trainingEvery > 0) {
      const tenants = new Rotation(opts.tenants);
      let round = 0;
      const tick = () => void switchTraining(stats, tenants.next(), round++);
      tick();
      timers.push(setInterval(tick, opts.trainingEvery * 1000));
    }
    if (opts.constitutionEvery > 0) {
      const tenants = new Rotation(opts.tenants);
      const tick = () => void republishConstitution(stats, tenants.next());
      tick();
      timers.push(setInterval(tick, opts.constitutionEvery * 1000));
    }
    if (opts.reportEvery > 0)
      timers.push(
        setInterval(
          () =>
            log(`${stats.total()} calls, ${stats.failures()} failed: ${JSON.stringify(stats.snapshot())}`),
          opts.reportEvery * 1000,
        ),
      );
    if (opts.duration > 0) timers.push(setTimeout(stop, opts.duration * 1000));
    await finished;
  } catch (err) {
    process.stderr.write(`staging:traffic: ${(err as Error).message}\n`);
    return 1;
  } finally {
    timers.forEach((t) => clearInterval(t));
    for (const t of opts.quietTopics) await setQuiet(t, 0).catch(() => {});
    await stalled?.stop();
    // Let calls in flight finish so the summary counts them.
    const deadline = Date.now() + 5000;
    while (users.inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }
  const summary = {
    seconds: Math.round((Date.now() - started) / 100) / 10,
    calls: stats.total(),
    failed: stats.failures(),
    by_operation: stats.snapshot(),
    quiet_topics: opts.quietTopics,
    stalled_group: opts.stallGroup ?? null,
  };
  log(`done: ${JSON.stringify(summary)}`);
  return stats.total() > 0 && stats.failures() === stats.total() ? 1 : 0;
}

process.exitCode = await main();
// kafkajs and fetch keep-alive sockets can hold the loop open for a while; the run is over.
setTimeout(() => process.exit(process.exitCode), 500).unref();
