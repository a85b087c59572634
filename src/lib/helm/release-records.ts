import type { KubeClient } from '../kube/client.js';
import type { HelmClient } from './client.js';
import { decodeRecord, recordName, type RecordDriver, type ReleaseRecord } from './release-record.js';

interface StoredObject {
  metadata?: { name?: string; labels?: Record<string, string>; resourceVersion?: string };
  data?: { release?: string };
}

const POLL_MS = 250;

/**
 * Reads the revisions Helm records for one release. Helm writes a revision's record (manifest and
 * hooks, status pending-install/pending-upgrade) before it applies anything, so watching for it
 * gives the true list of what to verify at once. Records are read from their Secret or ConfigMap
 * when the storage driver keeps them there and the credentials may read them; otherwise through
 * helm itself (`helm status --revision N`), which any driver and any helm user can.
 */
export class ReleaseRecords {
  private viaKube: boolean;

  constructor(
    private readonly kube: KubeClient,
    private readonly helm: HelmClient,
    private readonly release: string,
    private readonly namespace: string,
    private readonly driver: RecordDriver | undefined,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.viaKube = driver !== undefined;
  }

  /** One revision's record, or undefined when it does not exist (yet). */
  async read(revision: number): Promise<ReleaseRecord | undefined> {
    if (this.viaKube) {
      try {
        const obj = await this.kube.find<StoredObject>(this.objectPath(recordName(this.release, revision)));
        return obj?.data?.release ? decodeRecord(obj.data.release, this.driver!) : undefined;
      } catch (err) {
        this.viaKube = false; // not allowed to read them: helm can
        this.log(
          `helm's records of ${this.release} cannot be read from the cluster (${(err as Error).message}): reading them with helm status`,
        );
      }
    }
    return this.helm.record(this.release, this.namespace, revision);
  }

  /**
   * Resolves with the first record newer than `after` that Helm writes, or undefined once
   * `stopped()` is true and none appeared. Start it before helm: the watch begins where a list of the
   * records ends, so no write is missed.
   */
  async next(after: number, stopped: () => boolean): Promise<ReleaseRecord | undefined> {
    if (this.viaKube) {
      const found = await this.watchFor(after, stopped).catch((err: Error) => err);
      if (!(found instanceof Error)) return found;
      this.log(
        `helm's records of ${this.release} cannot be watched (${found.message}): asking for revision ${after + 1} every second`,
      );
    }
    // Without a watch: ask for the next revision until helm has written it or has ended.
    for (;;) {
      const record = await this.read(after + 1).catch(() => undefined);
      if (record || stopped()) return record ?? (await this.read(after + 1).catch(() => undefined));
      await new Promise((r) => setTimeout(r, POLL_MS * 4));
    }
  }

  /** Rejects when the records cannot be listed or watched with these credentials. */
  private async watchFor(after: number, stopped: () => boolean): Promise<ReleaseRecord | undefined> {
    const collection = this.objectPath();
    const labelSelector = `owner=helm,name=${this.release}`;
    type Listed = { metadata?: { resourceVersion?: string }; items?: StoredObject[] };
    const listed = await this.kube.get<Listed>(collection, { labelSelector });
    const newest = (items: StoredObject[]) =>
      items
        .filter((o) => Number(o.metadata?.labels?.version) > after && o.data?.release)
        .sort((a, b) => Number(b.metadata?.labels?.version) - Number(a.metadata?.labels?.version))[0];
    const already = newest(listed.items ?? []);
    if (already) return decodeRecord(already.data!.release!, this.driver!);
    let resourceVersion = listed.metadata?.resourceVersion;
    while (!stopped()) {
      let found: StoredObject | undefined;
      // Shorter than the client's inactivity timeout, so a quiet watch ends by itself rather than as an error.
      const query = { labelSelector, resourceVersion, timeoutSeconds: 10, allowWatchBookmarks: 'true' };
      const watch = await this.kube.watch<StoredObject>(collection, query, (e) => {
        // An expired version: the next watch starts from now, replaying the records that exist.
        if (e.type === 'ERROR') resourceVersion = undefined;
        else if (e.object?.metadata?.resourceVersion) resourceVersion = e.object.metadata.resourceVersion;
        if ((e.type === 'ADDED' || e.type === 'MODIFIED') && !found) {
          found = newest([e.object]);
          if (found) watch.stop();
        }
      });
      if (found) watch.stop();
      const ticker = setInterval(() => stopped() && watch.stop(), POLL_MS);
      const error = await watch.done;
      clearInterval(ticker);
      if (found) return decodeRecord(found.data!.release!, this.driver!);
      // A watch the server refused (403) or that ended with an error: fall back to reading.
      if (error && !stopped()) throw error;
    }
    return undefined;
  }

  private objectPath(name?: string): string {
    const plural = this.driver === 'configmap' ? 'configmaps' : 'secrets';
    const ns = encodeURIComponent(this.namespace);
    return `/api/v1/namespaces/${ns}/${plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
  }
}
