import { startTestBackend } from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import { scaffolderModuleLitemaas } from './module';

jest.setTimeout(60_000);

describe('scaffolderModuleLitemaas', () => {
  it('starts inside a real scaffolder backend', async () => {
    const { server } = await startTestBackend({
      features: [scaffolderPlugin, scaffolderModuleLitemaas],
    });
    const res = await request(server).get('/api/scaffolder/v2/actions');
    expect(res.status).toBe(200);
    expect(res.body.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining([
        'debug:log',
        'litemaas:subscription:ensure',
        'litemaas:key:create',
      ]),
    );
  });
});
