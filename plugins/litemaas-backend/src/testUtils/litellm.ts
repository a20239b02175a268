import { RunningEmulator } from '@litemaas/litellm-emulator';

/** An emulator, or something that runs one (a test backend). @public */
export type EmulatorHolder = RunningEmulator | { emulator: RunningEmulator };

const emulatorOf = (holder: EmulatorHolder): RunningEmulator =>
  'emulator' in holder ? holder.emulator : holder;

/** Pattern of a LiteLLM secret (masked display names like `sk-...abcd` do not match). @public */
export const SECRET_PATTERN = /sk-[A-Za-z0-9_-]{12,}/;

/** The LiteLLM keys LiteMaaS minted in the emulator (it may hold unrelated ones). @public */
export function managedLiteLLMKeys(holder: EmulatorHolder) {
  return [...emulatorOf(holder).state.keys.values()].filter(
    k => k.metadata?.managed_by === 'litemaas-backstage',
  );
}

/**
 * The HTTP status of a chat completion with a virtual key against the emulator's data
 * plane (200 on success). A network error is thrown, never turned into a status.
 *
 * @public
 */
export async function chatStatus(
  holder: EmulatorHolder,
  secret: string,
  model: string,
): Promise<number> {
  const res = await fetch(`${emulatorOf(holder).url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${secret}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      model,
      messages: [{ role: 'user', content: 'ping' }],
    }),
  });
  await res.arrayBuffer();
  return res.status;
}
