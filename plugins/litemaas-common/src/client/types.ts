import type { components } from '../generated/openapi';

/**
 * One item of `GET /models`: a model and the caller's subscription to it (their own, else
 * one of their groups'), `null` when there is none (always `null` for a service caller).
 *
 * @public
 */
export type ModelListItem = components['schemas']['ModelListItem'];

/**
 * A component or system that declares a model in its `litemaas.io/models` annotation.
 *
 * @public
 */
export type ModelConsumer = components['schemas']['ModelConsumer'];

/**
 * Answer of `GET /models/:id`.
 *
 * @public
 */
export type ModelDetails = components['schemas']['ModelDetails'];

/**
 * Answer of `GET /models`.
 *
 * @public
 */
export type ListModelsResponse = components['schemas']['ModelList'];
