import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { normalizeEntityRef } from '@litemaas/backstage-plugin-litemaas-common';
import { Caller } from '../services/AccessService';
import { AuditOrigin } from '../services/AuditService';
import { AnyRequest as Request } from './request';

/**
 * Who is calling, resolved from the request once by the route (or from the credentials
 * of an action, see `actions/`), so the services get plain values. Only user tokens reach
 * LiteMaaS data: a service or external-access token cannot act on anyone's keys, and no
 * query, body or action input can name another caller.
 */
export class RequestCallers {
  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly userInfo: UserInfoService,
    private readonly auditor: AuditorService,
  ) {}

  async caller(req: Request): Promise<Caller> {
    const credentials = await this.httpAuth.credentials(req, {
      allow: ['user'],
    });
    return this.#callerOf(credentials, this.origin(req));
  }

  /**
   * The caller of an action of Backstage's actions registry (the MCP tools): the
   * credentials the registry resolved from the request, which must be a user's (the MCP
   * server passes the user's on-behalf-of token). The auditor records the event without
   * a request.
   */
  async actionCaller(credentials: BackstageCredentials): Promise<Caller> {
    if ((credentials.principal as { type?: string }).type !== 'user') {
      throw new NotAllowedError(
        'LiteMaaS actions act for a signed-in user: call them with a user token, not a service or static token',
      );
    }
    return this.#callerOf(
      credentials as BackstageCredentials<BackstageUserPrincipal>,
      undefined,
    );
  }

  /**
   * For routes that are not about anyone's data (the model list): a user gets their
   * Caller, another plugin (e.g. the catalog module) with a service token gets undefined.
   */
  async callerOrService(req: Request): Promise<Caller | undefined> {
    const credentials = await this.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if ((credentials.principal as { type?: string }).type !== 'user') {
      return undefined;
    }
    return this.#callerOf(
      credentials as BackstageCredentials<BackstageUserPrincipal>,
      this.origin(req),
    );
  }

  /** The caller as LiteMaaS stores and compares it: every ref normalised. */
  async #callerOf(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    origin: AuditOrigin | undefined,
  ): Promise<Caller> {
    const info = await this.userInfo.getUserInfo(credentials);
    return {
      credentials,
      userRef: normalizeEntityRef(info.userEntityRef),
      ownershipRefs: [
        ...new Set(info.ownershipEntityRefs.map(normalizeEntityRef)),
      ],
      origin,
    };
  }

  /** The audit origin of a request: the auditor records who asked, from where, and which route. */
  origin(req: Request): AuditOrigin {
    return {
      createEvent: options =>
        this.auditor.createEvent({ ...options, request: req }),
    };
  }
}
