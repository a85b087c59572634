// The one list of every action, for the CLI and the docs generator (not imported by any action).
import { metadata as helmDeploy } from './actions/helm-deploy/metadata.js';
import { metadata as smokeSuite } from './actions/smoke-suite/metadata.js';
import { metadata as kafkaTopicCheck } from './actions/kafka-topic-check/metadata.js';
import { metadata as evidenceArchive } from './actions/evidence-archive/metadata.js';
import { metadata as contractRecord } from './actions/contract-record/metadata.js';
import { metadata as designDrift } from './actions/design-drift/metadata.js';
import type { ActionMetadata } from './lib/inputs/metadata.js';

export const ACTIONS: readonly ActionMetadata[] = [
  helmDeploy,
  smokeSuite,
  kafkaTopicCheck,
  evidenceArchive,
  contractRecord,
  designDrift,
];
