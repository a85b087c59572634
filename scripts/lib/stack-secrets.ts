// The passwords `stack.sh up` makes once for the stack's Redis ACL users and PostgreSQL roles, in 0600
// files of the state folder. The local Integration Day hands the monitoring ones to its pulse as the
// workflow's secrets; tests read the others. Never print what these return.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type SecretStore = 'redis' | 'postgres';

/** The password of `name` (a Redis user or a PostgreSQL role) in the stack whose state is `state`. */
export function stackPassword(state: string, store: SecretStore, name: string): string {
  const path = join(state, store, 'passwords', name);
  if (!existsSync(path))
    throw new Error(
      `The stack has no password for ${name} at ${path}. ` +
        `Start it: \`npm run stack:up\` (or \`bash stack/stack.sh up ${store}\`).`,
    );
  return readFileSync(path, 'utf8').trim();
}

/** What integration-day.yml and infra-pulse.yml take as secrets for their pulse (read-only users). */
export function pulseSecrets(state: string): { REDIS_PASSWORD: string; POSTGRES_PASSWORD: string } {
  return {
    REDIS_PASSWORD: stackPassword(state, 'redis', 'cc-monitor'),
    POSTGRES_PASSWORD: stackPassword(state, 'postgres', 'cc_monitor'),
  };
}
