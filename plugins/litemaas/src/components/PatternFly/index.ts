export { PatternFlyScope } from './PatternFlyScope';
