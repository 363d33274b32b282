export { ted, tedBounds, tedWithStats } from './apted.ts';
export { releaseBuffers } from './context.ts';
export type { TedOptions, TedStats } from './apted.ts';
export type { TedCosts } from './costs.ts';
export { tedMapping } from './mapping.ts';
export type { EditMapping, EditOperation } from './mapping.ts';
