export interface Config {
  /** Configuration of the LiteMaaS backend plugin. */
  litemaas?: {
    /** The LiteLLM proxy the backend manages. Only the backend talks to it. */
    litellm: {
      /**
       * Base URL of the LiteLLM proxy's management API, e.g. http://litellm:4000.
       * In development this points at the bundled LiteLLM emulator.
       */
      baseUrl: string;
      /**
       * LiteLLM master key (or an admin virtual key) used for management calls.
       * @visibility secret
       */
      masterKey: string;
      /**
       * Timeout of one management call, in milliseconds. Defaults to 10000.
       */
      timeoutMs?: number;
    };
    /**
     * The OpenAI-compatible base URL that key holders call, shown in the portal and in
     * code snippets. Defaults to litellm.baseUrl.
     */
    publicBaseUrl?: string;
  };
}
