import { NotFoundError } from '@backstage/errors';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from 'node:crypto';
import { Knex } from 'knex';

const TABLE = 'litemaas_reveals';

const sha256 = (value: string) =>
  createHash('sha256').update(value).digest('hex');

/** Text encrypted with the reveal key (AES-256-GCM), as stored. */
export interface SealedText {
  ciphertext: string;
  iv: string;
  authTag: string;
}

export interface RevealTicket {
  /** Goes into the reveal link; only its hash is stored. */
  token: string;
  expiresAt: string;
}

/**
 * The one-time hand-off of a new key's secret when it cannot be shown at once (a
 * scaffolder task). The secret is stored encrypted for a short time; the first reveal by
 * the initiator or a member of the audience group deletes the row, and so does expiry.
 * Someone else asking gets the same 404 as for a token that never existed.
 */
export class RevealService {
  readonly #key: Buffer;

  constructor(
    private readonly db: Knex,
    encryptionKey: string,
    private readonly ttlSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    // Any configured string becomes a 256-bit AES key.
    this.#key = createHash('sha256').update(encryptionKey).digest();
  }

  async create(input: {
    keyId: string;
    secret: string;
    initiatorRef: string;
    audienceRef?: string;
  }): Promise<RevealTicket> {
    const token = randomBytes(32).toString('base64url');
    const sealed = this.seal(input.secret);
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.ttlSeconds * 1000);
    await this.db(TABLE).insert({
      token_hash: sha256(token),
      key_id: input.keyId,
      initiator_ref: input.initiatorRef,
      audience_ref: input.audienceRef ?? null,
      ciphertext: sealed.ciphertext,
      iv: sealed.iv,
      auth_tag: sealed.authTag,
      expires_at: expiresAt,
      created_at: now,
    });
    return { token, expiresAt: expiresAt.toISOString() };
  }

  /** Returns the secret once, to the initiator or a member of the audience group. */
  async reveal(
    token: string,
    caller: { userRef: string; ownershipRefs: string[] },
  ): Promise<{ keyId: string; secret: string }> {
    const notFound = () =>
      new NotFoundError('This reveal link does not exist, expired or was used');
    const hash = sha256(token);
    const row = await this.db(TABLE).where({ token_hash: hash }).first();
    if (!row) throw notFound();
    if (new Date(row.expires_at).getTime() <= this.now().getTime()) {
      await this.db(TABLE).where({ token_hash: hash }).delete();
      throw notFound();
    }
    const allowed =
      row.initiator_ref === caller.userRef ||
      (row.audience_ref && caller.ownershipRefs.includes(row.audience_ref));
    if (!allowed) throw notFound();
    // Whoever deletes the row reveals it: two concurrent reveals cannot both succeed.
    const deleted = await this.db(TABLE).where({ token_hash: hash }).delete();
    if (deleted !== 1) throw notFound();
    const secret = this.open({
      ciphertext: row.ciphertext,
      iv: row.iv,
      authTag: row.auth_tag,
    });
    return { keyId: row.key_id, secret };
  }

  /** Encrypts text with the reveal key, for storage. */
  seal(text: string): SealedText {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ciphertext = Buffer.concat([
      cipher.update(text, 'utf8'),
      cipher.final(),
    ]);
    return {
      ciphertext: ciphertext.toString('base64'),
      iv: iv.toString('base64'),
      authTag: cipher.getAuthTag().toString('base64'),
    };
  }

  /** Decrypts what {@link RevealService.seal} made. */
  open(sealed: SealedText): string {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.#key,
      Buffer.from(sealed.iv, 'base64'),
    );
    decipher.setAuthTag(Buffer.from(sealed.authTag, 'base64'));
    return Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Deletes expired reveals; returns how many. */
  async purgeExpired(): Promise<number> {
    return this.db(TABLE).where('expires_at', '<=', this.now()).delete();
  }
}
