export { StatusFilter } from './StatusFilter';
