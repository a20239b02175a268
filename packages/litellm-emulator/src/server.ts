import { createServer, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Emulator } from './emulator';
import { registerBudgetRoutes } from './handlers/budgets';
import { registerDataPlaneRoutes } from './handlers/dataplane';
import { registerHookRoutes } from './handlers/hooks';
import { registerKeyRoutes } from './handlers/keys';
import { registerModelRoutes } from './handlers/models';
import { registerTeamRoutes } from './handlers/teams';
import { registerUsageRoutes } from './handlers/usage';
import { registerUserRoutes } from './handlers/users';
import { defaultModels, loadModelsFile, resolveModels } from './models';
import type { EmulatorState, SeedSpendOptions } from './state';
import type { EmulatorBehaviour, EmulatorModel, FaultSpec } from './types';

export interface EmulatorOptions {
  /** 0 = random free port; default 4000. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default `sk-dev-master-key`. */
  masterKey?: string;
  /** The model list (default: `defaultModels`). */
  models?: EmulatorModel[];
  /** A JSON file holding the model list (used when `models` is not given). */
  modelsFile?: string;
  /** Injectable clock; default real time. The advance offset is added to it. */
  now?: () => Date;
  /** How latency faults wait; default a real timer. Tests inject one they control. */
  sleep?: (ms: number) => Promise<unknown>;
  /** The [old]/[new] switches. */
  behaviour?: Partial<EmulatorBehaviour>;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  masterKey: string;
  close(): Promise<void>;
  /** Clears all state (keys, users, teams, budgets, spend, faults); the clock is kept. */
  reset(): void;
  advanceClock(ms: number): void;
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
  /**
   * LiteLLM goes down: the emulator stops listening and drops every open connection, so
   * calls are refused (`ECONNREFUSED`) until {@link RunningEmulator.comeBack}. State is kept.
   */
  goDown(): Promise<void>;
  /** Listens again on the same address after {@link RunningEmulator.goDown}. */
  comeBack(): Promise<void>;
  /** Read access for assertions. */
  state: EmulatorState;
  /** Sets the emulated clock to an absolute time. */
  setClock(time: Date | number): void;
  /** Current emulated time. */
  now(): Date;
  /** Seeds bulk spend rows (same as POST /__emulator/seed/spend). */
  seedSpend(options: SeedSpendOptions): ReturnType<EmulatorState['seedSpend']>;
  behaviour: EmulatorBehaviour;
}

export const DEFAULT_MASTER_KEY = 'sk-dev-master-key';

/** Builds the emulator (routing + state) without a server — useful to embed in another server. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const models =
    options.models ??
    (options.modelsFile ? loadModelsFile(options.modelsFile) : defaultModels);
  const nowFn = options.now;
  const emu = new Emulator(
    options.masterKey ?? DEFAULT_MASTER_KEY,
    resolveModels(models),
    nowFn ? () => nowFn().getTime() : Date.now,
    options.behaviour,
    options.sleep,
  );
  registerModelRoutes(emu);
  registerKeyRoutes(emu);
  registerUserRoutes(emu);
  registerTeamRoutes(emu);
  registerBudgetRoutes(emu);
  registerUsageRoutes(emu);
  registerDataPlaneRoutes(emu);
  registerHookRoutes(emu);
  return emu;
}

export async function startEmulator(
  options: EmulatorOptions = {},
): Promise<RunningEmulator> {
  const emu = createEmulator(options);
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    emu.handle(req, res).catch(e => emu.sendError(res, e));
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    else socket.destroy();
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  /** Stops listening and drops every connection; resolves once nothing is open. */
  const stopListening = () =>
    new Promise<void>(resolve => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  await listen(options.port ?? 4000);
  const addr = server.address() as AddressInfo;
  let down = false;
  const urlHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${addr.port}`,
    masterKey: emu.masterKey,
    close() {
      if (!closed) closed = down ? Promise.resolve() : stopListening();
      return closed;
    },
    async goDown() {
      if (down || closed) return;
      down = true;
      await stopListening();
    },
    async comeBack() {
      if (!down || closed) return;
      await listen(addr.port);
      down = false;
    },
    reset: () => emu.reset(),
    advanceClock: ms => emu.advanceClock(ms),
    setClock: t => emu.setClock(typeof t === 'number' ? t : t.getTime()),
    now: () => new Date(emu.now()),
    injectFault: f => emu.injectFault(f),
    clearFaults: () => emu.clearFaults(),
    seedSpend: o => emu.state.seedSpend(o),
    state: emu.state,
    behaviour: emu.behaviour,
  };
}
