import { DiscoveryService, LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  apiKeySchema,
  CreateKeyRequest,
  LITEMAAS_PLUGIN_ID,
  RevealedApiKey,
} from '@litemaas/backstage-plugin-litemaas-common';
import { Caller } from '../services/AccessService';
import { KeyService } from './KeyService';
import { RevealService } from '../services/RevealService';

/** The answer when reveal delivery is asked for but not configured. */
export const REVEAL_NOT_CONFIGURED =
  'One-time reveal delivery is not configured on this portal (litemaas.reveal.encryptionKey); ask an administrator, or create the key in the portal';

/**
 * `POST /keys` with `deliver: 'reveal'`: the backend, not the caller (a scaffolder
 * action), turns the new secret into a one-time reveal, so the secret never leaves the
 * backend in the answer. The reveal's audience is the owning group for a group-owned key
 * and nobody but the initiator otherwise.
 */
export class KeyRevealDelivery {
  constructor(
    private readonly deps: {
      keys: KeyService;
      /** Undefined when no encryption key is configured. */
      reveals: RevealService | undefined;
      discovery: DiscoveryService;
      logger: LoggerService;
    },
  ) {}

  async create(
    caller: Caller,
    input: CreateKeyRequest,
  ): Promise<RevealedApiKey> {
    const { reveals, keys, logger } = this.deps;
    if (!reveals) {
      throw new ServiceUnavailableError(REVEAL_NOT_CONFIGURED);
    }
    const created = await keys.create(caller, input);
    // Only the schema's fields: the secret and its snippets are dropped here.
    const key = apiKeySchema.parse(created);
    let ticket;
    try {
      ticket = await reveals.create({
        keyId: key.id,
        secret: created.secret,
        initiatorRef: caller.userRef,
        // Members of the key's team (a group key's group, a component's owner group).
        audienceRef: key.teamRef ?? undefined,
      });
    } catch (error) {
      // Nobody could ever read this secret: take the key back rather than leave it live.
      logger.error('Storing a key reveal failed; revoking the new key', {
        keyId: key.id,
        error: error instanceof Error ? error.message : String(error),
      });
      await keys.revoke(caller, key.id).catch(() => undefined);
      throw new ServiceUnavailableError(
        'The key could not be prepared for its one-time reveal and was revoked; try again',
      );
    }
    const baseUrl = await this.deps.discovery.getExternalBaseUrl(
      LITEMAAS_PLUGIN_ID,
    );
    return {
      ...key,
      reveal: {
        token: ticket.token,
        url: `${baseUrl}/reveal/${ticket.token}`,
        expiresAt: ticket.expiresAt,
      },
    };
  }
}
