export { AstError } from './errors.ts';
export type { AstErrorCode } from './errors.ts';
export { PARSER_VERSION, detectFormat, extractAst } from './extract.ts';
export type { AstDevice, AstFormat, AstMeta, AstResult } from './extract.ts';
export { DISABLED_SUFFIX } from './canonical.ts';
export { XmlError, childElements, directText, lineColumn, parseXml } from './xml.ts';
export type { XmlElement, XmlNode, XmlText } from './xml.ts';
export { DEFAULT_PROGRAM_LIMITS, PROGRAM_LIMIT_SETTINGS, resolveLimits, utf8Length } from './limits.ts';
export type { ProgramLimits } from './limits.ts';
