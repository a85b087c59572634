import type { WorkloadKind } from './manifest.js';

/** The parts of a workload object the rollout rules read. */
export interface WorkloadObject {
  metadata?: { generation?: number; name?: string };
  spec?: {
    replicas?: number;
    completions?: number;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
    selector?: { matchLabels?: Record<string, string> };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    numberReady?: number;
    succeeded?: number;
    failed?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export type RolloutState = 'ready' | 'progressing' | 'failed';

export interface RolloutStatus {
  state: RolloutState;
  message: string;
}

/** Whether a workload finished rolling out, with the same rules as `kubectl rollout status`. */
export function rolloutStatus(kind: WorkloadKind, obj: WorkloadObject): RolloutStatus {
  const gen = obj.metadata?.generation ?? 0;
  const st = obj.status ?? {};
  if (kind !== 'Job' && (st.observedGeneration ?? 0) < gen)
    return progressing('waiting for the controller to observe the new spec');
  switch (kind) {
    case 'Deployment': {
      const stalled = st.conditions?.find(
        (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
      );
      if (stalled)
        return { state: 'failed', message: `progress deadline exceeded: ${stalled.message ?? ''}`.trim() };
      const want = obj.spec?.replicas ?? 1;
      const updated = st.updatedReplicas ?? 0;
      if (updated < want) return progressing(`${updated} of ${want} replicas updated`);
      if ((st.replicas ?? 0) > updated)
        return progressing(`${(st.replicas ?? 0) - updated} old replica(s) pending termination`);
      if ((st.availableReplicas ?? 0) < updated)
        return progressing(`${st.availableReplicas ?? 0} of ${updated} updated replicas available`);
      return { state: 'ready', message: `${want} replica(s) available` };
    }
    case 'StatefulSet': {
      const want = obj.spec?.replicas ?? 1;
      if ((st.readyReplicas ?? 0) < want)
        return progressing(`${st.readyReplicas ?? 0} of ${want} pods ready`);
      if (obj.spec?.updateStrategy?.type === 'OnDelete')
        return {
          state: 'ready',
          message: `${want} pod(s) ready (OnDelete strategy: pods update when deleted)`,
        };
      const partition = obj.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
      if (partition > 0) {
        const target = want - partition;
        if ((st.updatedReplicas ?? 0) < target)
          return progressing(`${st.updatedReplicas ?? 0} of ${target} pods updated (partition ${partition})`);
        return { state: 'ready', message: `${target} pod(s) updated above partition ${partition}` };
      }
      if (st.updateRevision && st.currentRevision !== st.updateRevision)
        return progressing(
          `rolling update to ${st.updateRevision}: ${st.updatedReplicas ?? 0} of ${want} pods updated`,
        );
      return { state: 'ready', message: `${want} pod(s) ready` };
    }
    case 'DaemonSet': {
      const desired = st.desiredNumberScheduled ?? 0;
      if ((st.updatedNumberScheduled ?? 0) < desired)
        return progressing(`${st.updatedNumberScheduled ?? 0} of ${desired} pods updated`);
      if ((st.numberAvailable ?? 0) < desired)
        return progressing(`${st.numberAvailable ?? 0} of ${desired} updated pods available`);
      return { state: 'ready', message: `${desired} pod(s) available` };
    }
    case 'Job': {
      const failed = st.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
      if (failed)
        return {
          state: 'failed',
          message: `job failed: ${failed.reason ?? ''} ${failed.message ?? ''}`.trim(),
        };
      const want = obj.spec?.completions ?? 1;
      if ((st.succeeded ?? 0) >= want)
        return { state: 'ready', message: `${st.succeeded} of ${want} completions succeeded` };
      return progressing(
        `${st.succeeded ?? 0} of ${want} completions succeeded${st.failed ? `, ${st.failed} failed attempt(s)` : ''}`,
      );
    }
  }
}

function progressing(message: string): RolloutStatus {
  return { state: 'progressing', message };
}

/** The API path of a workload kind (apps/v1 or batch/v1). */
export function workloadPath(kind: WorkloadKind, namespace: string, name?: string): string {
  const plural = {
    Deployment: 'deployments',
    StatefulSet: 'statefulsets',
    DaemonSet: 'daemonsets',
    Job: 'jobs',
  }[kind];
  const group = kind === 'Job' ? '/apis/batch/v1' : '/apis/apps/v1';
  return `${group}/namespaces/${encodeURIComponent(namespace)}/${plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}
