import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Usage examples shown on the portal's installed-actions page. */
export const createKeyExamples: TemplateExample[] = [
  {
    description:
      "A key for a new service, owned by the service's team, with a monthly budget and rate limits",
    example: yaml.stringify({
      steps: [
        {
          id: 'key',
          action: 'litemaas:key:create',
          name: 'Create the LLM key',
          input: {
            name: '${{ parameters.name }}',
            owner: '${{ parameters.owner }}',
            component: 'component:default/${{ parameters.name }}',
            models: '${{ steps.subscribe.output.active }}',
            maxBudget: 50,
            budgetDuration: '30d',
            tpmLimit: 100000,
            rpmLimit: 60,
            expiresInDays: 90,
          },
        },
      ],
      output: {
        links: [
          {
            title: 'Reveal the key once',
            url: '${{ steps.key.output.revealPageUrl }}',
          },
        ],
      },
    }),
  },
  {
    description:
      'A personal key of the user running the template, expiring on a fixed date',
    example: yaml.stringify({
      steps: [
        {
          id: 'key',
          action: 'litemaas:key:create',
          name: 'Create my key',
          input: {
            name: 'experiments',
            models: ['gpt-4o'],
            expiresAt: '2027-01-31T00:00:00Z',
            metadata: { purpose: 'prototype' },
          },
        },
      ],
    }),
  },
];
