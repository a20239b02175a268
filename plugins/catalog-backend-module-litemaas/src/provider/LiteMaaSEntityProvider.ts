import {
  DiscoveryService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  LITEMAAS_PLUGIN_ID,
  LiteMaaSClient,
  Model,
  modelSchema,
} from '@litemaas/backstage-plugin-litemaas-common';
import { Entity } from '@backstage/catalog-model';
import { createHash } from 'node:crypto';
import { buildEntities } from '../entities/modelEntity';
import { LiteMaaSProviderConfig } from './config';

/** The name of the provider; also its `locationKey` and managed-by location target. */
export const LITEMAAS_PROVIDER_NAME = 'LiteMaaSEntityProvider';

/**
 * How long a run that finds the same entities as the last one applied may skip its
 * mutation; after that it applies a full one again, which restores what someone may
 * have changed in the catalog meanwhile.
 */
export const UNCHANGED_REAPPLY_MS = 60 * 60_000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Publishes the models of the LiteMaaS backend (`GET /api/litemaas/models`, read with a
 * service token) as catalog entities, with a `full` mutation on every successful run
 * that finds them changed. A run that finds the same entities as the last one applied
 * skips its mutation (for up to {@link UNCHANGED_REAPPLY_MS}): a full mutation of
 * 1,000 unchanged entities still costs the catalog a hash of each and a read of all its
 * rows, which a short schedule would pay every few seconds while the catalog is busy
 * processing the last change. A failed run logs a warning and emits nothing, so the
 * catalog keeps the previous entities until the next run.
 */
export class LiteMaaSEntityProvider implements EntityProvider {
  #connection?: EntityProviderConnection;
  /** What the last applied mutation held, and when it was applied. */
  #applied?: { fingerprint: string; at: number };

  constructor(
    private readonly options: {
      config: LiteMaaSProviderConfig;
      client: Pick<LiteMaaSClient, 'listModels'>;
      discovery: Pick<DiscoveryService, 'getBaseUrl'>;
      fetchApi: { fetch: typeof fetch };
      logger: LoggerService;
      taskRunner: SchedulerServiceTaskRunner;
      /** The clock (milliseconds); tests move it. */
      now?: () => number;
    },
  ) {}

  getProviderName(): string {
    return LITEMAAS_PROVIDER_NAME;
  }

  get locationKey(): string {
    return `litemaas:${LITEMAAS_PROVIDER_NAME}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.options.taskRunner.run({
      id: `${LITEMAAS_PROVIDER_NAME}:refresh`,
      fn: async () => {
        await this.refresh();
      },
    });
  }

  /**
   * The OpenAI-compatible URL: the configured one, else the backend's `publicBaseUrl`
   * (`GET /config`, optional: any failure falls back), else `litemaas.*` config.
   */
  async #apiUrl(): Promise<string | undefined> {
    const { config, discovery, fetchApi, logger } = this.options;
    if (config.apiUrl) return config.apiUrl;
    try {
      const baseUrl = await discovery.getBaseUrl(LITEMAAS_PLUGIN_ID);
      const response = await fetchApi.fetch(`${baseUrl}/config`);
      if (response.ok) {
        const body = (await response.json()) as { publicBaseUrl?: unknown };
        if (
          typeof body?.publicBaseUrl === 'string' &&
          /^https?:\/\//.test(body.publicBaseUrl)
        ) {
          return body.publicBaseUrl.replace(/\/+$/, '');
        }
      }
    } catch (error) {
      logger.debug(`LiteMaaS /config not readable: ${message(error)}`);
    }
    return config.fallbackApiUrl;
  }

  /** Reads the models and builds the entities; throws when the backend cannot be read. */
  async read(): Promise<{ entities: Entity[]; modelIds: string[] }> {
    const { config, client, logger } = this.options;
    const { items } = await client.listModels();
    // The client trusts the wire; a backend of another version must not fill the
    // catalog with half-built entities.
    const models: Model[] = modelSchema.array().parse(items);
    const { entities, modelIds, skipped } = buildEntities(models, {
      owner: config.owner,
      system: config.system,
      lifecycle: config.lifecycle,
      gatewayName: config.gatewayName,
      apiType: config.apiType,
      apiUrl: await this.#apiUrl(),
      appBaseUrl: config.appBaseUrl,
      currency: config.currency,
      location: this.locationKey,
    });
    if (skipped.length > 0) {
      logger.warn(
        `LiteMaaS models left out of the catalog because their entity name is taken: ${skipped.join(
          ', ',
        )}`,
      );
    }
    return { entities, modelIds };
  }

  /** One sync; never throws. Answers whether a mutation was applied. */
  async refresh(): Promise<boolean> {
    const { logger } = this.options;
    if (!this.#connection) {
      throw new Error(`${LITEMAAS_PROVIDER_NAME} is not connected`);
    }
    let result: { entities: Entity[]; modelIds: string[] };
    try {
      result = await this.read();
    } catch (error) {
      logger.warn(
        `LiteMaaS catalog sync failed, keeping the previous entities until the next run: ${message(
          error,
        )}`,
      );
      return false;
    }
    const now = (this.options.now ?? Date.now)();
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(result.entities))
      .digest('hex');
    if (
      this.#applied?.fingerprint === fingerprint &&
      now - this.#applied.at < UNCHANGED_REAPPLY_MS
    ) {
      logger.debug(
        `LiteMaaS catalog sync found the ${result.modelIds.length} models unchanged`,
      );
      return false;
    }
    try {
      await this.#connection.applyMutation({
        type: 'full',
        entities: result.entities.map(entity => ({
          entity,
          locationKey: this.locationKey,
        })),
      });
    } catch (error) {
      this.#applied = undefined;
      logger.warn(`LiteMaaS catalog sync could not apply: ${message(error)}`);
      return false;
    }
    this.#applied = { fingerprint, at: now };
    logger.info(
      `LiteMaaS catalog sync published ${result.modelIds.length} models`,
    );
    return true;
  }
}
