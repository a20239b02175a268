export * from './LiteMaaSClient';
