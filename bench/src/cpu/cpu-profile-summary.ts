import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The parts of V8's .cpuprofile (`node --cpu-prof`) the summary reads. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
  }[];
  /** Microseconds, V8's clock. */
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileShare {
  readonly name: string;
  readonly ms: number;
  /** Of the window's sampled time. */
  readonly percent: number;
}

export interface CpuProfileSummary {
  readonly file: string;
  /** Sampled time in the window, ms. */
  readonly sampledMs: number;
  /** What the process was doing, by where the code lives (src/ folder, package, V8). */
  readonly byArea: readonly ProfileShare[];
  /** The functions with the most self time. */
  readonly topFunctions: readonly ProfileShare[];
}

/** Seconds since the profile began (about when the process started). */
export interface ProfileWindow {
  readonly fromSeconds: number;
  readonly toSeconds: number;
}

/** The one .cpuprofile node --cpu-prof wrote into `dir`. */
export function profileIn(dir: string): string {
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length !== 1)
    throw new Error(`expected one .cpuprofile in ${dir}, found ${files.length}`);
  return join(dir, files[0]);
}

/**
 * Self time per function and per area over `window` (the run, not the boot): each
 * sample counts for the time since the one before it, to the function on top of the
 * stack. `root` shortens the paths of the code under test.
 */
export function summariseCpuProfile(
  file: string,
  window: ProfileWindow,
  root: string,
  top = 15,
): CpuProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let atUs = 0;
  let sampledUs = 0;
  profile.samples.forEach((id, index) => {
    const deltaUs = profile.timeDeltas[index] ?? 0;
    atUs += deltaUs;
    const seconds = atUs / 1e6;
    if (seconds < window.fromSeconds || seconds > window.toSeconds) return;
    const frame = frames.get(id);
    if (!frame) return;
    const where = shortUrl(frame.url, root);
    const name = where
      ? `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`
      : frame.functionName || '(anonymous native)';
    byFunction.set(name, (byFunction.get(name) ?? 0) + deltaUs);
    const area = areaOf(frame.url, frame.functionName, root);
    byArea.set(area, (byArea.get(area) ?? 0) + deltaUs);
    sampledUs += deltaUs;
  });
  const shares = (totals: Map<string, number>): ProfileShare[] =>
    [...totals]
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 1000),
        percent: Number(((100 * us) / Math.max(sampledUs, 1)).toFixed(1)),
      }))
      .sort((a, b) => b.ms - a.ms);
  return {
    file,
    sampledMs: Math.round(sampledUs / 1000),
    byArea: shares(byArea),
    topFunctions: shares(byFunction).slice(0, top),
  };
}

function shortUrl(url: string, root: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  return path.startsWith(root) ? relative(root, path) : path;
}

/**
 * V8's own entries ("(garbage collector)", "(idle)", "(program)"), a package under
 * node_modules, Node's internals, or the folder of the code under test (dist/src/billing).
 */
function areaOf(url: string, functionName: string, root: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const path = shortUrl(url, root);
  const parts = path.split(sep);
  const modules = parts.lastIndexOf('node_modules');
  if (modules !== -1) {
    const name = parts[modules + 1] ?? '';
    return name.startsWith('@') ? `${name}/${parts[modules + 2]}` : name;
  }
  if (parts[0] === 'dist') return parts.slice(1, parts[1] === 'src' ? 3 : 2).join('/');
  return path;
}
