import { modelInfoListSchema, modelListSchema } from './schemas';
import { isRecord, LiteLLMTransport } from './transport';
import { LiteLLMModel, LiteLLMModelInfo, LiteLLMReadiness } from './types';

/** Models and health: `/model/info`, `/v1/models`, `/health/*`. */
export class LiteLLMModelsClient {
  constructor(private readonly transport: LiteLLMTransport) {}

  async getModelInfo(
    options: { modelId?: string } = {},
  ): Promise<LiteLLMModelInfo[]> {
    const body = await this.transport.call({
      method: 'GET',
      route: '/model/info',
      query: { litellm_model_id: options.modelId },
    });
    return this.transport.parse(modelInfoListSchema, body, 'GET', '/model/info')
      .data as LiteLLMModelInfo[];
  }

  async listModels(): Promise<LiteLLMModel[]> {
    const body = await this.transport.call({
      method: 'GET',
      route: '/v1/models',
    });
    return this.transport.parse(modelListSchema, body, 'GET', '/v1/models')
      .data as LiteLLMModel[];
  }

  async getLiveliness(): Promise<string> {
    const body = await this.transport.call({
      method: 'GET',
      route: '/health/liveliness',
    });
    return typeof body === 'string' ? body : JSON.stringify(body);
  }

  async getReadiness(): Promise<LiteLLMReadiness> {
    const body = await this.transport.call({
      method: 'GET',
      route: '/health/readiness',
    });
    return isRecord(body)
      ? (body as LiteLLMReadiness)
      : { status: String(body) };
  }
}
