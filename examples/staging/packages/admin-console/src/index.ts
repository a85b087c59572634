export * from './format.js';
export * from './policies.js';
export * from './tenants.js';
