/** English messages of the audit screen (`audit.*`). */
export const auditMessages = {
  tab: 'Audit',
  loading: 'Loading the audit trail…',
  intro:
    'Every change to models, subscriptions, keys, teams and limits, newest first. Secrets are never recorded.',
  filter: {
    label: 'Filter the audit trail',
    actor: 'Actor',
    actorPlaceholder: 'user:default/alice',
    action: 'Action',
    actionPlaceholder: 'key.create',
    outcome: 'Outcome',
    anyOutcome: 'Any outcome',
    apply: 'Filter',
    clear: 'Clear',
  },
  outcome: {
    success: 'Success',
    failure: 'Failure',
    denied: 'Denied',
  },
  empty: {
    title: 'No audit entries',
    body: 'Nothing matches these filters yet.',
  },
  columns: {
    when: 'When',
    actor: 'Actor',
    action: 'Action',
    target: 'Target',
    outcome: 'Outcome',
    reason: 'Reason',
    details: 'Details',
  },
  detailsLabel: 'Details of entry {{id}}',
  more: 'Load more',
  end: 'End of the audit trail',
} as const;
