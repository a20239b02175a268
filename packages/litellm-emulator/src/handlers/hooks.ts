import { Emulator } from '../emulator';
import { detailError } from '../errors';
import { emptyRecording } from '../state';
import type { FaultSpec } from '../types';
import { BadDurationError, addDuration, iso, parseUtcDate } from '../util';

/** Emulator-only test hooks under `/__emulator/` (master key required). Not LiteLLM API. */
export function registerHookRoutes(emu: Emulator): void {
  const st = emu.state;

  emu.route('POST', '/__emulator/reset', 'admin', () => {
    emu.reset();
    return { ok: true, state: st.summary() };
  });

  emu.route('GET', '/__emulator/clock', 'admin', () => ({
    now: iso(emu.now()),
  }));

  emu.route('POST', '/__emulator/clock/advance', 'admin', ctx => {
    const body = ctx.body ?? {};
    let ms: number;
    if (typeof body.ms === 'number') ms = body.ms;
    else if (typeof body.seconds === 'number') ms = body.seconds * 1000;
    else if (typeof body.duration === 'string') {
      try {
        ms = addDuration(emu.now(), body.duration) - emu.now();
      } catch (e) {
        if (e instanceof BadDurationError)
          throw detailError(400, { error: e.message });
        throw e;
      }
    } else
      throw detailError(400, {
        error: 'Pass ms, seconds or duration (e.g. "1d")',
      });
    if (!Number.isFinite(ms))
      throw detailError(400, { error: 'ms must be finite' });
    emu.advanceClock(ms);
    return { now: iso(emu.now()) };
  });

  emu.route('POST', '/__emulator/clock/set', 'admin', ctx => {
    const raw = ctx.body?.time ?? ctx.body?.now;
    let ms: number | undefined;
    if (typeof raw === 'number') ms = raw;
    else ms = typeof raw === 'string' ? parseUtcDate(raw) : undefined;
    if (ms === undefined || !Number.isFinite(ms)) {
      throw detailError(400, {
        error: 'Pass time as an ISO string or epoch milliseconds',
      });
    }
    emu.setClock(ms);
    return { now: iso(emu.now()) };
  });

  emu.route('GET', '/__emulator/faults', 'admin', () => ({
    faults: st.faults,
  }));

  emu.route('POST', '/__emulator/faults', 'admin', ctx => {
    const body = ctx.body ?? {};
    let list: FaultSpec[];
    if (Array.isArray(body)) list = body;
    else list = Array.isArray(body.faults) ? body.faults : [body];
    for (const f of list) {
      if (!f || typeof f.path !== 'string')
        throw detailError(400, { error: 'Each fault needs a path' });
      if (
        f.status === undefined &&
        f.latencyMs === undefined &&
        !f.drop &&
        !f.truncate
      ) {
        throw detailError(400, {
          error: 'A fault needs status, latencyMs, drop or truncate',
        });
      }
    }
    list.forEach(f => emu.injectFault(f));
    return { faults: st.faults };
  });

  emu.route('DELETE', '/__emulator/faults', 'admin', () => {
    emu.clearFaults();
    return { faults: [] };
  });

  const recordingSummary = () => {
    const { mode, paths, answers } = st.recording;
    let bytes = 0;
    for (const b of answers.values()) bytes += b.length;
    return { mode, paths: [...paths], answers: answers.size, bytes };
  };

  emu.route('GET', '/__emulator/recording', 'admin', recordingSummary);

  // record (with the paths whose GET answers to keep), replay, or off (drops them).
  emu.route('POST', '/__emulator/recording', 'admin', ctx => {
    const { mode, paths } = ctx.body ?? {};
    if (mode === 'record') {
      if (
        !Array.isArray(paths) ||
        paths.length === 0 ||
        !paths.every(p => typeof p === 'string' && p.startsWith('/'))
      ) {
        throw detailError(400, {
          error: 'record needs paths, e.g. ["/user/daily/activity"]',
        });
      }
      st.recording = { ...emptyRecording(), mode, paths: new Set(paths) };
    } else if (mode === 'replay') {
      st.recording.mode = mode;
    } else if (mode === 'off') {
      st.recording = emptyRecording();
    } else {
      throw detailError(400, { error: 'mode must be record, replay or off' });
    }
    return recordingSummary();
  });

  emu.route('POST', '/__emulator/seed/spend', 'admin', ctx => {
    const body = ctx.body ?? {};
    const rows = Number(body.rows ?? 0);
    if (!Number.isInteger(rows) || rows < 0 || rows > 50_000_000) {
      throw detailError(400, {
        error: 'rows must be an integer between 0 and 50000000',
      });
    }
    const t0 = process.hrtime.bigint();
    const result = st.seedSpend({
      rows,
      days: body.days,
      keys: body.keys,
      models: body.models,
      failureRate: body.failure_rate ?? body.failureRate,
      updateTotals: body.update_totals ?? body.updateTotals,
      seed: body.seed,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { ...result, ms, spend_rows: st.spendLogs.count };
  });

  emu.route('GET', '/__emulator/state', 'admin', () => {
    const mem = process.memoryUsage();
    return {
      ...st.summary(),
      behaviour: emu.behaviour,
      memory: {
        rss: mem.rss,
        heap_used: mem.heapUsed,
        heap_total: mem.heapTotal,
        array_buffers: mem.arrayBuffers,
      },
    };
  });
}
