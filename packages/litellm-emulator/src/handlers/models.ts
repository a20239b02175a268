import { Emulator, LITELLM_VERSION } from '../emulator';
import { proxyError } from '../errors';
import { iso } from '../util';
import { clone } from './common';

export function registerModelRoutes(emu: Emulator): void {
  const st = emu.state;

  emu.route(['GET'], ['/model/info', '/v1/model/info'], 'key', ctx => {
    if (st.models.length === 0) {
      throw proxyError(
        500,
        'LLM Model List not loaded in. Make sure you passed models in your config.yaml',
        'internal_server_error',
        'None',
      );
    }
    const allowed = new Set(emu.accessibleModels(ctx.caller));
    const id = ctx.query.get('litellm_model_id');
    return {
      data: st.models
        .filter(m => allowed.has(m.name))
        .filter(m => !id || m.id === id)
        .map(m => clone(m.info)),
    };
  });

  emu.route(['GET'], ['/v1/models', '/models'], 'key', ctx => {
    const names = emu.accessibleModels(ctx.caller);
    return {
      data: names.map(id => ({
        id,
        object: 'model',
        created: 1677610602,
        owned_by: 'openai',
      })),
      object: 'list',
    };
  });

  emu.route(
    'GET',
    ['/health/liveliness', '/health/liveness'],
    'public',
    () => "I'm alive!",
  );

  emu.route('GET', '/health/readiness', 'public', () => ({
    status: 'healthy',
    db: 'connected',
    cache: null,
    litellm_version: LITELLM_VERSION,
    success_callbacks: [],
    use_aiohttp_transport: true,
    last_updated: iso(emu.now()),
  }));

  emu.route('GET', '/health', 'key', () => {
    const healthy = st.models.map(m => ({
      model: m.info.litellm_params.model,
      api_base: m.info.litellm_params.api_base ?? null,
    }));
    return {
      healthy_endpoints: healthy,
      unhealthy_endpoints: [],
      healthy_count: healthy.length,
      unhealthy_count: 0,
    };
  });

  emu.route('GET', '/', 'public', () => ({
    message: 'LiteLLM emulator',
    version: LITELLM_VERSION,
  }));
}
