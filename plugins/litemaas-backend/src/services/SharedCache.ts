import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/**
 * One kind of short-lived value in the plugin's CacheService: a key prefix and a time to
 * live. The store is Backstage's cache (memory, Redis, Valkey, ...), so every replica sees
 * the same entries and memory stays bounded by the store, not by this process.
 */
export class SharedCache<T> {
  constructor(
    private readonly cache: CacheService,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  async get(id: string): Promise<T | undefined> {
    // Values are written by set() below, from T: JSON in, the same JSON out.
    return (await this.cache.get<JsonValue>(this.key(id))) as T | undefined;
  }

  async set(id: string, value: T): Promise<void> {
    await this.cache.set(this.key(id), value as JsonValue, { ttl: this.ttlMs });
  }

  async delete(id: string): Promise<void> {
    await this.cache.delete(this.key(id));
  }

  private key(id: string): string {
    return `${this.prefix}:${id}`;
  }
}
