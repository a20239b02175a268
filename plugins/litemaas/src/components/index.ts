/** Shared building blocks of every LiteMaaS screen and card. */
export * from './PatternFly';
export * from './PageShell';
export * from './StateViews';
export * from './ConfirmModal';
export * from './SecretModal';
export * from './SpendBar';
export * from './LimitFields';
export * from './Labels';
export * from './OwnerPicker';
export * from './format';
export * from './CardSection';
export * from './StatusFilter';
export * from './TermList';
