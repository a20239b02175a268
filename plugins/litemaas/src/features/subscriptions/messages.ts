/** English messages of the subscriptions screen (`subscriptions.*`). */
export const subscriptionsMessages = {
  tab: 'Subscriptions',
  loading: 'Loading subscriptions…',
  empty: {
    title: 'No subscriptions yet',
    body: 'Subscribe to a model, or request access to a restricted one, from the models tab.',
    browse: 'Browse models',
  },
  filter: {
    label: 'Status',
    all: 'All',
  },
  columns: {
    model: 'Model',
    subject: 'For',
    status: 'Status',
    justification: 'Justification',
    reason: 'Reason',
    decided: 'Decided',
    requested: 'Requested',
    expires: 'Expires',
    actions: 'Actions',
  },
  me: 'Me',
  team: 'Team {{name}}',
  cancel: {
    action: 'Cancel',
    actionLabel: 'Cancel the subscription to {{model}}',
    title: 'Cancel the subscription to {{model}}?',
    body: 'Keys of {{subject}} lose access to {{model}} at once.',
    keys_one: 'This key loses the model:',
    keys_other: 'These {{count}} keys lose the model:',
    noKeys: 'No key of {{subject}} uses this model.',
    lastModel: '{{name}} has no other model and will be blocked.',
    confirm: 'Cancel subscription',
  },
  requestAgain: 'Ask again',
} as const;
