import { LoggerService } from '@backstage/backend-plugin-api';

/**
 * The ids of the models that currently have an entity, shared by the provider (which
 * sets them after each successful sync) and the relations processor (which skips ids
 * that are not among them). On a replica that does not run the sync, or before the
 * first sync, the list is loaded from the LiteMaaS backend and kept for `ttlMs`.
 * When it cannot be known, `get()` answers `undefined` and the processor relates every
 * well-formed id: an outage must not strip relations from the catalog.
 */
export class KnownModels {
  #ids: Set<string> | undefined;
  #nextLoadAt = 0;
  #loading: Promise<void> | undefined;

  constructor(
    private readonly options: {
      load: () => Promise<string[]>;
      logger: LoggerService;
      /** How long a list is trusted. Defaults to one minute. */
      ttlMs?: number;
      /** How long to wait after a failed load. Defaults to 10 seconds. */
      retryMs?: number;
      now?: () => number;
    },
  ) {}

  #now() {
    return this.options.now?.() ?? Date.now();
  }

  /** Called by the provider after a successful sync. */
  set(ids: Iterable<string>): void {
    this.#ids = new Set(ids);
    this.#nextLoadAt = this.#now() + (this.options.ttlMs ?? 60_000);
  }

  async get(): Promise<ReadonlySet<string> | undefined> {
    if (this.#now() >= this.#nextLoadAt) {
      this.#loading ??= this.#reload().finally(() => {
        this.#loading = undefined;
      });
      await this.#loading;
    }
    return this.#ids;
  }

  async #reload(): Promise<void> {
    try {
      this.set(await this.options.load());
    } catch (error) {
      // Keep what we had (if anything); try again after a short pause.
      this.#nextLoadAt = this.#now() + (this.options.retryMs ?? 10_000);
      this.options.logger.warn(
        `Could not read the LiteMaaS model list for catalog relations: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  }
}
