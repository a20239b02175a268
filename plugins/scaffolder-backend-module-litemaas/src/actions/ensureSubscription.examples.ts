import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Usage examples shown on the portal's installed-actions page. */
export const ensureSubscriptionExamples: TemplateExample[] = [
  {
    description:
      'Subscribe the chosen team to the chosen models; fail while a restricted model awaits approval',
    example: yaml.stringify({
      steps: [
        {
          id: 'subscribe',
          action: 'litemaas:subscription:ensure',
          name: 'Subscribe the team',
          input: {
            owner: '${{ parameters.owner }}',
            models: '${{ parameters.models }}',
            justification: 'LLM features of ${{ parameters.name }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Subscribe the user running the template and continue with the open models while restricted ones await approval',
    example: yaml.stringify({
      steps: [
        {
          id: 'subscribe',
          action: 'litemaas:subscription:ensure',
          name: 'Subscribe me',
          input: {
            models: ['gpt-4o', 'ibm-granite/granite-3.1-8b-instruct'],
            justification: 'Evaluating models for invoice extraction',
            onPending: 'continue',
          },
        },
      ],
    }),
  },
];
