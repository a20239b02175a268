/**
 * The plugin id shared by the LiteMaaS frontend, backend and common packages.
 *
 * @public
 */
export const LITEMAAS_PLUGIN_ID = 'litemaas';

/**
 * Prefix of every catalog annotation this product reads or writes.
 *
 * @public
 */
export const LITEMAAS_ANNOTATION_PREFIX = 'litemaas.io';
