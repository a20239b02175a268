import { LiteLLMEnterpriseFeatureError, LiteLLMNotFoundError } from './errors';
import { hashLiteLLMKey } from './redact';
import {
  generatedKeySchema,
  keyInfoEnvelopeSchema,
  keyListSchema,
} from './schemas';
import { isRecord, LiteLLMTransport } from './transport';
import {
  LiteLLMGeneratedKey,
  LiteLLMKeyGenerateRequest,
  LiteLLMKeyInfo,
  LiteLLMKeyListPage,
  LiteLLMKeyListQuery,
  LiteLLMKeyRegenerateRequest,
  LiteLLMKeyUpdateRequest,
} from './types';

/** The most keys one `POST /v2/key/info` is asked about. */
export const KEYS_INFO_BATCH = 100;

/** Virtual keys: `/key/*`. Key parameters take the raw secret or its hash; only the hash is sent. */
export class LiteLLMKeysClient {
  constructor(private readonly transport: LiteLLMTransport) {}

  async generateKey(
    request: LiteLLMKeyGenerateRequest,
  ): Promise<LiteLLMGeneratedKey> {
    const body = await this.transport.call({
      method: 'POST',
      route: '/key/generate',
      body: request,
    });
    return this.toGeneratedKey(body, '/key/generate');
  }

  async updateKey(
    key: string,
    changes: LiteLLMKeyUpdateRequest,
  ): Promise<Record<string, unknown>> {
    const body = await this.transport.call({
      method: 'POST',
      route: '/key/update',
      body: { ...changes, key: this.transport.keyId(key) },
    });
    return isRecord(body) ? body : {};
  }

  async deleteKeys(keys: string[]): Promise<{ deleted_keys: string[] }> {
    if (keys.length === 0) return { deleted_keys: [] };
    const body = await this.transport.call({
      method: 'POST',
      route: '/key/delete',
      body: { keys: keys.map(k => this.transport.keyId(k)) },
    });
    return { deleted_keys: this.transport.stringList(body, 'deleted_keys') };
  }

  async deleteKeysByAlias(
    aliases: string[],
  ): Promise<{ deleted_keys: string[] }> {
    if (aliases.length === 0) return { deleted_keys: [] };
    const body = await this.transport.call({
      method: 'POST',
      route: '/key/delete',
      body: { key_aliases: aliases },
    });
    return { deleted_keys: this.transport.stringList(body, 'deleted_keys') };
  }

  async getKeyInfo(key: string): Promise<LiteLLMKeyInfo> {
    const keyId = this.transport.keyId(key);
    const body = await this.transport.call({
      method: 'GET',
      route: '/key/info',
      query: { key: keyId },
    });
    const envelope = this.transport.parse(
      keyInfoEnvelopeSchema,
      body,
      'GET',
      '/key/info',
    );
    let row: unknown = envelope;
    if ('info' in envelope) {
      row = Array.isArray(envelope.info) ? envelope.info[0] : envelope.info;
    }
    if (!isRecord(row)) {
      throw new LiteLLMNotFoundError({
        method: 'GET',
        path: '/key/info',
        status: 200,
        detail: 'LiteLLM returned no key row',
      });
    }
    return this.transport.toKeyInfo(row, keyId, '/key/info');
  }

  async getKeysInfo(keys: string[]): Promise<LiteLLMKeyInfo[]> {
    if (keys.length === 0) return [];
    if (keys.length > KEYS_INFO_BATCH) {
      throw new RangeError(
        `getKeysInfo takes at most ${KEYS_INFO_BATCH} keys, got ${keys.length}`,
      );
    }
    const body = await this.transport.call({
      method: 'POST',
      route: '/v2/key/info',
      body: { keys: keys.map(k => this.transport.keyId(k)) },
      // A read: safe to repeat.
      idempotent: true,
    });
    const rows = isRecord(body) && Array.isArray(body.info) ? body.info : [];
    return rows
      .filter(isRecord)
      .map(row => this.transport.toKeyInfo(row, undefined, '/v2/key/info'));
  }

  async listKeyHashes(
    query: LiteLLMKeyListQuery = {},
  ): Promise<LiteLLMKeyListPage<string>> {
    const page = await this.keyListPage(query, false);
    return {
      ...page,
      keys: page.keys.map(k =>
        typeof k === 'string' ? k : String((k as LiteLLMKeyInfo).token),
      ),
    };
  }

  async listKeys(
    query: LiteLLMKeyListQuery = {},
  ): Promise<LiteLLMKeyListPage<LiteLLMKeyInfo>> {
    const page = await this.keyListPage(query, true);
    return {
      ...page,
      keys: page.keys.map(k =>
        typeof k === 'string'
          ? { token: k }
          : this.transport.toKeyInfo(
              k as Record<string, unknown>,
              undefined,
              '/key/list',
            ),
      ),
    };
  }

  async *iterateKeys(
    query: Omit<LiteLLMKeyListQuery, 'page'> = {},
  ): AsyncGenerator<LiteLLMKeyInfo> {
    for (let page = 1; page <= this.transport.maxPages; page++) {
      const result = await this.listKeys({ ...query, page });
      yield* result.keys;
      if (result.keys.length === 0 || page >= result.total_pages) return;
    }
    this.transport.warnPageCap('/key/list');
  }

  async blockKey(key: string): Promise<LiteLLMKeyInfo> {
    return this.blockOrUnblock('/key/block', key);
  }

  async unblockKey(key: string): Promise<LiteLLMKeyInfo> {
    return this.blockOrUnblock('/key/unblock', key);
  }

  async regenerateKey(
    key: string,
    options: LiteLLMKeyRegenerateRequest = {},
  ): Promise<LiteLLMGeneratedKey> {
    const keyId = this.transport.keyId(key);
    try {
      const body = await this.transport.call({
        method: 'POST',
        route: '/key/{key}/regenerate',
        path: `/key/${encodeURIComponent(keyId)}/regenerate`,
        body: options,
      });
      return this.toGeneratedKey(body, '/key/{key}/regenerate');
    } catch (error) {
      if (error instanceof LiteLLMEnterpriseFeatureError) {
        this.transport.logger.info(
          'LiteLLM refused key regeneration (enterprise feature); callers may fall back to generate + delete',
          {
            method: 'POST',
            path: '/key/{key}/regenerate',
            status: error.status,
          },
        );
      }
      throw error;
    }
  }

  private async keyListPage(
    query: LiteLLMKeyListQuery,
    fullObjects: boolean,
  ): Promise<LiteLLMKeyListPage<unknown>> {
    const body = await this.transport.call({
      method: 'GET',
      route: '/key/list',
      query: { ...query, return_full_object: fullObjects || undefined },
    });
    const parsed = this.transport.parse(
      keyListSchema,
      body,
      'GET',
      '/key/list',
    );
    const page = parsed.current_page ?? query.page ?? 1;
    return {
      ...parsed,
      keys: parsed.keys,
      total_count: parsed.total_count ?? parsed.keys.length,
      current_page: page,
      total_pages: parsed.total_pages ?? page,
    };
  }

  private async blockOrUnblock(
    route: '/key/block' | '/key/unblock',
    key: string,
  ): Promise<LiteLLMKeyInfo> {
    const keyId = this.transport.keyId(key);
    const body = await this.transport.call({
      method: 'POST',
      route,
      body: { key: keyId },
    });
    return this.transport.toKeyInfo(isRecord(body) ? body : {}, keyId, route);
  }

  private toGeneratedKey(body: unknown, route: string): LiteLLMGeneratedKey {
    const parsed = this.transport.parse(
      generatedKeySchema,
      body,
      'POST',
      route,
    );
    const isHash = (v: unknown): v is string =>
      typeof v === 'string' && v !== '' && !v.startsWith('sk-');
    let token: string;
    if (isHash(parsed.token_id)) token = parsed.token_id;
    else if (isHash(parsed.token)) token = parsed.token;
    else token = hashLiteLLMKey(parsed.key);
    return { ...parsed, token } as LiteLLMGeneratedKey;
  }
}
