export {
  LoadingState,
  EmptyView,
  ErrorView,
  PermissionDeniedView,
  QueryView,
  errorMessage,
  errorStatus,
} from './StateViews';
export { InlineError } from './InlineError';
