import { startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import { catalogModuleLitemaas } from './module';

jest.setTimeout(60_000);

describe('catalogModuleLitemaas', () => {
  it('starts inside a real catalog backend', async () => {
    const { server } = await startTestBackend({
      features: [catalogPlugin, catalogModuleLitemaas],
    });
    const res = await request(server).get('/api/catalog/entities');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });
});
