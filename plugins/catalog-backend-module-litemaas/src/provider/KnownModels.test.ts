import { mockServices } from '@backstage/backend-test-utils';
import { KnownModels } from './KnownModels';

describe('KnownModels', () => {
  function setup(load: () => Promise<string[]>) {
    let now = 1_000_000;
    const logger = mockServices.logger.mock();
    const known = new KnownModels({
      load: jest.fn(load),
      logger,
      ttlMs: 60_000,
      now: () => now,
    });
    return {
      known,
      logger,
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it('loads once, shares concurrent loads and reloads after the TTL', async () => {
    const load = jest.fn(async () => ['gpt-4o']);
    const t = setup(load);
    const [a, b] = await Promise.all([t.known.get(), t.known.get()]);
    expect([...a!]).toEqual(['gpt-4o']);
    expect(b).toBe(a);
    expect(load).toHaveBeenCalledTimes(1);
    t.advance(30_000);
    await t.known.get();
    expect(load).toHaveBeenCalledTimes(1);
    t.advance(31_000);
    await t.known.get();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('prefers what the provider set and does not load then', async () => {
    const load = jest.fn(async () => ['other']);
    const t = setup(load);
    t.known.set(['gpt-4o', 'llama3.2:3b']);
    expect([...(await t.known.get())!]).toEqual(['gpt-4o', 'llama3.2:3b']);
    expect(load).not.toHaveBeenCalled();
  });

  it('answers undefined when the list cannot be read, then retries later', async () => {
    const load = jest
      .fn<Promise<string[]>, []>()
      .mockRejectedValueOnce(new Error('503 Service Unavailable'))
      .mockResolvedValue(['gpt-4o']);
    const t = setup(load);
    await expect(t.known.get()).resolves.toBeUndefined();
    expect(t.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('503 Service Unavailable'),
    );
    await expect(t.known.get()).resolves.toBeUndefined();
    expect(load).toHaveBeenCalledTimes(1);
    t.advance(11_000);
    expect([...(await t.known.get())!]).toEqual(['gpt-4o']);
  });
});
