// The act runner is shared with `npm run integration-day` (scripts/integration-day.ts).
export * from '../../scripts/lib/act.js';
