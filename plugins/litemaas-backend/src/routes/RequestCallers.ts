import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { normalizeEntityRef } from '@litemaas/backstage-plugin-litemaas-common';
import { Caller } from '../services/AccessService';
import { AuditOrigin } from '../services/AuditService';
import { AnyRequest as Request } from './request';

/**
 * Who is calling, resolved from the request once by the route, so the services get plain
 * values. Only user tokens reach LiteMaaS data: a service or external-access token cannot
 * act on anyone's keys, and no query or body parameter can name another caller.
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
    return this.#callerOf(req, credentials);
  }

  /**
   * For routes that are not about anyone's data (the model list): a user gets their
   * Caller, another plugin (e.g. the catalog module) with a service token gets undefined.
   */
  async callerOrService(req: Request): Promise<Caller | undefined> {
    const credentials = await this.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type !== 'user') {
      return undefined;
    }
    return this.#callerOf(
      req,
      credentials as BackstageCredentials<BackstageUserPrincipal>,
    );
  }

  /** The caller as LiteMaaS stores and compares it: every ref normalised. */
  async #callerOf(
    req: Request,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<Caller> {
    const info = await this.userInfo.getUserInfo(credentials);
    return {
      credentials,
      userRef: normalizeEntityRef(info.userEntityRef),
      ownershipRefs: [
        ...new Set(info.ownershipEntityRefs.map(normalizeEntityRef)),
      ],
      origin: this.origin(req),
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
