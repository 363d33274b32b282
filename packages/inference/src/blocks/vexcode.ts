/**
 * VEXcode blocks project files (`.v5blocks`, `.iqblocks`, `.expblocks`, `.vrblocks`): a JSON
 * object whose `workspace` string is Blockly XML, plus platform, file format and devices.
 */
import { parseXmlOrThrow, readWorkspaceXml } from './blocklyXml.ts';
import { AstError } from './errors.ts';
import type { RawBlock } from './raw.ts';

export type Device = { name: string; type: string; ports?: number[] };

export type VexProject = {
  tops: RawBlock[];
  platform: string | null;
  fileFormat: string | null;
  devices: Device[];
};

// Keys only VEXcode project files carry; used to recognise one that lost its workspace.
const VEX_KEYS = ['workspace', 'robotConfig', 'rconfig', 'fileFormat', 'appVersion', 'sdkVersion', 'targetBrainGen'];

export function looksLikeVexProject(obj: Record<string, unknown>): boolean {
  if ('workspace' in obj) return true;
  let hits = 0;
  for (const k of VEX_KEYS) if (k in obj) hits++;
  return hits >= 2 || (obj.mode === 'Blocks' && 'platform' in obj);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Devices from `robotConfig` (2.0.0) or `rconfig` (1.x). Metadata only, so read leniently. */
export function readDevices(obj: Record<string, unknown>): Device[] {
  const list = Array.isArray(obj.robotConfig) ? obj.robotConfig : Array.isArray(obj.rconfig) ? obj.rconfig : [];
  const out: Device[] = [];
  for (const d of list as unknown[]) {
    if (d === null || typeof d !== 'object') continue;
    const r = d as Record<string, unknown>;
    const name = str(r.name);
    if (name === null) continue;
    const type = str(r.deviceType) ?? str(r.deviceClass) ?? '';
    const dev: Device = { name, type };
    if (Array.isArray(r.port)) {
      const ports = (r.port as unknown[]).filter((p): p is number => typeof p === 'number');
      if (ports.length > 0) dev.ports = ports;
    }
    out.push(dev);
  }
  return out;
}

export function readVexProject(obj: Record<string, unknown>): VexProject {
  const ws = obj.workspace;
  if (typeof ws !== 'string' || ws.trim() === '') {
    const mode = str(obj.mode);
    const why =
      mode !== null && mode !== 'Blocks'
        ? ` (its mode is "${mode}": a text-language project, not blocks)`
        : ws === undefined
          ? ' (the "workspace" key is missing)'
          : typeof ws === 'string'
            ? ' (the "workspace" string is empty)'
            : ` (the "workspace" value is a ${ws === null ? 'null' : typeof ws}, not an XML string)`;
    throw new AstError('no-workspace', `VEXcode project has no block workspace XML${why}`, { path: 'workspace' });
  }
  const root = parseXmlOrThrow(ws, 'workspace XML', 'workspace');
  let tops: RawBlock[];
  try {
    tops = readWorkspaceXml(root, ws, 'workspace XML');
  } catch (e) {
    // Offsets are into the workspace string: say so.
    if (e instanceof AstError && e.path === undefined) {
      throw new AstError(e.code, e.message, { ...(e.offset === undefined ? {} : { offset: e.offset }), path: 'workspace' });
    }
    throw e;
  }
  return {
    tops,
    platform: str(obj.platform),
    fileFormat: str(obj.fileFormat),
    devices: readDevices(obj),
  };
}
