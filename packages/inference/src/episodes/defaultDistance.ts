export { ted as defaultDistance } from '../apted/index.ts';
