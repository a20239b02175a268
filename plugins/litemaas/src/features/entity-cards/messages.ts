/** English messages of the cards on catalog entities (`cards.*`). */
export const cardsMessages = {
  openInLiteMaaS: 'Open in LiteMaaS',
  model: {
    title: 'LiteMaaS model',
    notLinked:
      'This entity has no litemaas.io/model-id annotation, so it is not linked to a LiteMaaS model.',
    inputPrice: 'Input / 1M tokens',
    outputPrice: 'Output / 1M tokens',
    context: 'Context window',
    contextTokens: '{{tokens}} tokens',
    status: 'Status',
    deprecated: 'Deprecated',
    available: 'Available',
    unavailable: 'Unavailable',
    access: 'My access',
    keys: 'My keys with this model',
  },
  llmAccess: {
    title: 'LLM access',
    models: 'Declared models',
    noModels:
      'No models declared. List them in the litemaas.io/models annotation.',
    notInLiteMaaS: 'Not in LiteMaaS',
    keys: 'Keys of {{name}}',
    noKeys: 'No key you can see belongs to {{name}} yet.',
    mint: 'Create a key',
    mintDenied: 'You are not allowed to create keys.',
  },
  team: {
    title: 'LiteMaaS team',
    notEnabledTitle: 'Not a LiteMaaS team',
    notEnabledBody:
      'LiteMaaS is not enabled for this group, or you are not one of its members.',
  },
} as const;
