import type { InputSchema } from './spec.js';

/** Everything action.yml and the action's README say about an action, kept in code. */
export interface ActionMetadata<S extends InputSchema = InputSchema> {
  name: string;
  title: string;
  description: string;
  branding: {
    icon: string;
    color: 'white' | 'black' | 'yellow' | 'blue' | 'green' | 'orange' | 'red' | 'purple' | 'gray-dark';
  };
  inputs: S;
  outputs: Record<string, string>;
}

export function defineAction<S extends InputSchema>(m: ActionMetadata<S>): ActionMetadata<S> {
  return m;
}
