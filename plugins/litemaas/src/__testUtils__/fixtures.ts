import type {
  ApiKey,
  ModelListItem,
  Subscription,
  Team,
} from '@litemaas/backstage-plugin-litemaas-common';
import type { KeyUsage, LiteMaaSConfig } from '../api';

/** Wire shapes of the backend (see plugins/litemaas-backend/src/routes), for msw. */

export const USER = 'user:default/alice';
export const TEAM = 'group:default/payments';

export const config = (
  overrides: Partial<LiteMaaSConfig> = {},
): LiteMaaSConfig => ({
  publicBaseUrl: 'https://llm.example.com',
  currency: 'USD',
  keyDefaults: {
    maxBudget: 10,
    budgetDuration: '30d',
    tpmLimit: 10000,
    rpmLimit: 60,
    expiresInDays: 90,
  },
  keyMaximums: {
    maxBudget: 100,
    tpmLimit: 100000,
    rpmLimit: 600,
    expiresInDays: 365,
    keysPerOwner: 10,
  },
  keyBudgetPeriods: { min: '1d', max: '30d' },
  rotationMaxGraceSeconds: 86400,
  ...overrides,
});

export const model = (
  overrides: Partial<ModelListItem> = {},
): ModelListItem => ({
  id: 'gpt-4o',
  provider: 'openai',
  description: 'OpenAI flagship multimodal model',
  contextLength: 128000,
  inputCostPerToken: 0.0000025,
  outputCostPerToken: 0.00001,
  capabilities: ['chat', 'function_calling', 'vision'],
  mode: 'chat',
  restricted: false,
  status: 'available',
  deprecated: false,
  replacementModelId: null,
  deprecationDate: null,
  ownerGroupRef: null,
  lastSyncedAt: '2026-11-26T10:00:00.000Z',
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  subscription: null,
  ...overrides,
});

export const GRANITE = 'ibm-granite/granite-3.1-8b-instruct';

/** Four models of different providers, prices, contexts and access. */
export const models = (): ModelListItem[] => [
  model({
    subscription: { id: 'sub-1', status: 'active', expiresAt: null },
  }),
  model({
    id: 'gpt-4o-mini',
    description: 'Small and cheap',
    inputCostPerToken: 0.00000015,
    outputCostPerToken: 0.0000006,
    capabilities: ['chat', 'function_calling'],
  }),
  model({
    id: GRANITE,
    provider: 'hosted_vllm',
    description: 'IBM Granite on vLLM',
    contextLength: 8192,
    inputCostPerToken: 0.0000002,
    outputCostPerToken: 0.0000002,
    capabilities: ['chat'],
    restricted: true,
    subscription: { id: 'sub-2', status: 'pending', expiresAt: null },
  }),
  model({
    id: 'claude-3-5-sonnet',
    provider: 'anthropic',
    description: 'Anthropic model',
    contextLength: 200000,
    inputCostPerToken: 0.000003,
    outputCostPerToken: 0.000015,
    capabilities: ['chat', 'vision'],
    restricted: true,
  }),
];

export const subscription = (
  overrides: Partial<Subscription> = {},
): Subscription => ({
  id: 'sub-1',
  subjectRef: USER,
  modelId: 'gpt-4o',
  status: 'active',
  justification: null,
  reason: null,
  decidedBy: null,
  decidedAt: null,
  expiresAt: null,
  createdBy: USER,
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  ...overrides,
});

export const apiKey = (overrides: Partial<ApiKey> = {}): ApiKey => ({
  id: '11111111-1111-4111-8111-111111111111',
  ownerRef: USER,
  createdBy: USER,
  name: 'invoice-assistant dev',
  litellmKeyHash: 'hash',
  litellmAlias: 'invoice-assistant-dev_abcd1234',
  displayName: 'sk-...abcd',
  models: ['gpt-4o'],
  maxBudget: 10,
  budgetDuration: '30d',
  tpmLimit: 10000,
  rpmLimit: 60,
  expiresAt: '2027-02-28T23:59:59.000Z',
  metadata: {},
  status: 'active',
  blockedByAdmin: false,
  rotatedFromKeyId: null,
  graceExpiresAt: null,
  revokedAt: null,
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  ...overrides,
});

export const usage = (overrides: Partial<KeyUsage> = {}): KeyUsage => ({
  available: true,
  spend: 2.5,
  maxBudget: 10,
  budgetUsedRatio: 0.25,
  budgetResetAt: '2026-12-20T10:00:00.000Z',
  lastActiveAt: '2026-11-29T10:00:00.000Z',
  blockedInLiteLLM: false,
  fetchedAt: '2026-11-30T10:00:00.000Z',
  ...overrides,
});

export const team = (overrides: Partial<Team> = {}): Team => ({
  ref: TEAM,
  litellmTeamId: 'team-payments',
  displayName: 'Payments',
  maxBudget: 500,
  budgetDuration: '1mo',
  tpmLimit: null,
  rpmLimit: null,
  allowedModels: null,
  catalogManaged: ['maxBudget'],
  members: [USER],
  spend: 120,
  budgetResetAt: '2026-12-01T00:00:00.000Z',
  budgetUsedRatio: 0.24,
  createdBy: 'user:default/admin',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  lastSyncedAt: '2026-11-30T00:00:00.000Z',
  ...overrides,
});

/** The JSON body `@backstage/errors` gives an error answer. */
export const errorBody = (
  name: string,
  message: string,
  statusCode: number,
) => ({
  error: { name, message },
  request: { method: 'GET', url: '/' },
  response: { statusCode },
});
