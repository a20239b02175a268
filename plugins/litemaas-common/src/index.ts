/**
 * Shared types, schemas, constants and the REST client of the LiteMaaS Backstage plugins.
 *
 * @packageDocumentation
 */

export * from './constants';
export * from './annotations';
export * from './health';
export * from './client';
export * from './secrets';
export * from './primitives';
export * from './models';
export * from './users';
export * from './subscriptions';
export * from './keys';
export * from './audit';
export * from './permissions';
export * from './teams';
export * from './usage';
export * from './snippets';
