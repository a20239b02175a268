import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The LiteMaaS entity provider: publishes the models of the LiteMaaS backend as
       * `Resource` entities (`spec.type: ai-model`) plus one `Component`
       * (`spec.type: model-server`) and one `API` for the LiteLLM endpoint.
       */
      litemaas?: {
        /**
         * How often the models are read from the LiteMaaS backend. Defaults to every
         * 5 minutes with a 3 minute timeout.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Owner of the emitted entities when a model has no owner group of its own.
         * Defaults to `group:default/platform-team`.
         */
        owner?: string;
        /** Optional system the emitted entities belong to, e.g. `system:default/ai-platform`. */
        system?: string;
        /** Lifecycle of the gateway Component and API. Defaults to `production`. */
        lifecycle?: string;
        /**
         * Name of the gateway `Component` (model server) and of its `API`.
         * Defaults to `litemaas-gateway`.
         */
        gatewayName?: string;
        /** The LiteLLM (OpenAI-compatible) endpoint as an `API` entity. */
        api?: {
          /**
           * URL key holders call. Defaults to the backend's `publicBaseUrl`
           * (`GET /api/litemaas/config`), else `litemaas.publicBaseUrl`, else
           * `litemaas.litellm.baseUrl`.
           */
          url?: string;
          /**
           * `spec.type` of the API entity. Defaults to `openai`; use `openapi` to have
           * the API docs plugin render the embedded OpenAPI definition.
           */
          type?: string;
        };
      };
    };
  };
}
