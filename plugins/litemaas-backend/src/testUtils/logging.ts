import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';

function serialize(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v instanceof Error
      ? { name: v.name, message: v.message, stack: v.stack }
      : v,
  );
}

/**
 * A logger that keeps every line (level, message, metadata, child labels) in `lines`, as
 * JSON text, so tests can look for what must or must not be logged.
 *
 * @public
 */
export function capturingLogger(lines: string[]): LoggerService {
  const make = (labels: Record<string, unknown>): LoggerService => {
    const log = (level: string) => (message: string, meta?: unknown) => {
      lines.push(serialize({ level, message, meta, labels }));
    };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: meta => make({ ...labels, ...meta }),
    };
  };
  return make({});
}

/** A root logger service factory built on {@link capturingLogger}. @public */
export function capturingRootLogger(lines: string[]) {
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => capturingLogger(lines),
  });
}
