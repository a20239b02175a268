/** English messages of the API keys screens (`keys.*`). */
export const keysMessages = {
  tab: 'API keys',
  loading: 'Loading keys…',
  empty: {
    title: 'No API keys yet',
    body: 'Create a key for the models you are subscribed to. You will see its secret once.',
    noSubscription:
      'Subscribe to a model first: a key can only use models its owner is subscribed to.',
  },
  create: 'Create key',
  createDenied: 'You are not allowed to create keys.',
  columns: {
    name: 'Name',
    owner: 'Owner',
    models: 'Models',
    limits: 'Limits',
    spend: 'Spend',
    expires: 'Expires',
    status: 'Status',
    actions: 'Actions',
  },
  limitsSummary: {
    tpm: '{{value}} TPM',
    rpm: '{{value}} RPM',
    period: 'Budget period: {{period}}',
    none: 'No limits',
  },
  never: 'Never',
  me: 'Me',
  team: 'Team {{name}}',
  blockedExplained:
    'An administrator blocked this key. Only an administrator can unblock it; ask one if you think this is a mistake.',
  blockedNoModel:
    'This key has no model it may use any more (a subscription ended). Subscribe again or edit its models.',
  actions: {
    label: 'Actions for {{name}}',
    edit: 'Edit limits',
    rotate: 'Rotate',
    revoke: 'Revoke',
    denied: 'You are not allowed to do this',
  },
  wizard: {
    title: 'Create an API key',
    steps: {
      basics: 'Name and owner',
      models: 'Models',
      limits: 'Limits',
      review: 'Review',
    },
    name: 'Name',
    nameHelp: 'Say where the key is used, e.g. "invoice-assistant staging".',
    nameRequired: 'A name is required',
    models: 'Models',
    modelsHelp: 'The models {{owner}} is subscribed to.',
    modelsRequired: 'Pick at least one model',
    noModels:
      '{{owner}} has no active subscription. Subscribe to a model first.',
    limitsHelp:
      'Leave a field empty to get the default. The maximums are enforced by LiteMaaS.',
    review: 'Check and create',
    create: 'Create key',
    back: 'Back',
    next: 'Next',
    cancel: 'Cancel',
  },
  edit: {
    title: 'Edit {{name}}',
    models: 'Models',
    save: 'Save',
  },
  rotate: {
    title: 'Rotate {{name}}?',
    body: 'A new secret replaces this one. Choose how long the old secret keeps working, so you can roll the new one out.',
    grace: 'Old secret keeps working for',
    graceNone: 'Stop it now',
    graceHours_one: '{{count}} hour',
    graceHours_other: '{{count}} hours',
    graceDays_one: '{{count}} day',
    graceDays_other: '{{count}} days',
    confirm: 'Rotate',
  },
  revoke: {
    title: 'Revoke {{name}}?',
    body: 'The key stops working at once for every model. This cannot be undone.',
    confirm: 'Revoke key',
  },
} as const;
