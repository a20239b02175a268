/**
 * Shared types, schemas, constants and the REST client of the LiteMaaS Backstage plugins.
 *
 * @packageDocumentation
 */

export * from './constants';
export * from './health';
export * from './client';
