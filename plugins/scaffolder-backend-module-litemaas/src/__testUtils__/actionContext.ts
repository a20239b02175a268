import { randomUUID } from 'node:crypto';
import { mockCredentials } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  BOB,
  capturingLogger,
} from '@litemaas/backstage-plugin-litemaas-backend/testUtils';

/**
 * A mock action context that keeps everything the action hands to the task: outputs,
 * log lines and checkpoint state. Checkpoints behave as in the scaffolder: one that
 * succeeded before returns its stored value instead of running again.
 */
export function context(
  input: JsonObject,
  options: {
    user?: string;
    isDryRun?: boolean;
    checkpoints?: Map<string, JsonValue>;
    /** The task's id; a new one per context unless given (a retry of the same task). */
    taskId?: string;
    credentials?: ReturnType<typeof mockCredentials.service>;
  } = {},
) {
  const lines: string[] = [];
  const checkpoints = options.checkpoints ?? new Map<string, JsonValue>();
  // createMockActionContext takes only some fields; the rest are set over it.
  const ctx = {
    ...createMockActionContext({
      input,
      logger: capturingLogger(lines),
      task: { id: options.taskId ?? randomUUID() },
    }),
    isDryRun: options.isDryRun,
    getInitiatorCredentials: async () =>
      options.credentials ?? mockCredentials.user(options.user ?? BOB),
    async checkpoint({ key, fn }: { key: string; fn: () => any }) {
      if (checkpoints.has(key)) return checkpoints.get(key) as any;
      const value = await fn();
      checkpoints.set(key, (value ?? {}) as JsonValue);
      return value;
    },
  };
  const outputs = () =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  /** Everything the task would keep, as text. */
  const captured = () =>
    JSON.stringify({
      outputs: (ctx.output as jest.Mock).mock.calls,
      lines,
      checkpoints: [...checkpoints],
    });
  return { ctx: ctx as any, lines, outputs, captured, checkpoints };
}
