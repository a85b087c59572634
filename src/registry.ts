// The one list of every action: its metadata (for the CLI, the configuration file and the docs
// generator) and its main, loaded only when that action runs. Not imported by any action.
import { metadata as helmDeploy } from './actions/helm-deploy/metadata.js';
import { metadata as smokeSuite } from './actions/smoke-suite/metadata.js';
import { metadata as kafkaTopicCheck } from './actions/kafka-topic-check/metadata.js';
import { metadata as evidenceArchive } from './actions/evidence-archive/metadata.js';
import { metadata as contractRecord } from './actions/contract-record/metadata.js';
import { metadata as designDrift } from './actions/design-drift/metadata.js';
import { metadata as escalate } from './actions/escalate/metadata.js';
import { metadata as backlogGrid } from './actions/backlog-grid/metadata.js';
import { metadata as infraPulse } from './actions/infra-pulse/metadata.js';
import { metadata as dailyWrap } from './actions/daily-wrap/metadata.js';
import type { ActionMetadata } from './lib/inputs/metadata.js';

export interface RegisteredAction {
  metadata: ActionMetadata;
  load: () => Promise<{ main: () => Promise<void> }>;
}

export const REGISTRY: readonly RegisteredAction[] = [
  { metadata: helmDeploy, load: () => import('./actions/helm-deploy/main.js') },
  { metadata: smokeSuite, load: () => import('./actions/smoke-suite/main.js') },
  { metadata: kafkaTopicCheck, load: () => import('./actions/kafka-topic-check/main.js') },
  { metadata: evidenceArchive, load: () => import('./actions/evidence-archive/main.js') },
  { metadata: contractRecord, load: () => import('./actions/contract-record/main.js') },
  { metadata: designDrift, load: () => import('./actions/design-drift/main.js') },
  { metadata: escalate, load: () => import('./actions/escalate/main.js') },
  { metadata: backlogGrid, load: () => import('./actions/backlog-grid/main.js') },
  { metadata: infraPulse, load: () => import('./actions/infra-pulse/main.js') },
  { metadata: dailyWrap, load: () => import('./actions/daily-wrap/main.js') },
];

export const ACTIONS: readonly ActionMetadata[] = REGISTRY.map((r) => r.metadata);
