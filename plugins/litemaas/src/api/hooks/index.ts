export * from './config';
export * from './models';
export * from './subscriptions';
export * from './keys';
export * from './teams';
export { queryKeys } from './queryKeys';
export * from './identity';
export * from './catalog';
export * from './usage';
