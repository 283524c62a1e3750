import type {View} from '../keymap.js';
import {fitSegs, segsWidth, type Seg} from '../seg.js';
import SegLine from './seg-line.js';

type Props = {
  readonly step: number;
  readonly view: View;
  readonly frozen: boolean;
  readonly width: number;
  readonly color: boolean;
};

interface Item {
  readonly keys: string;
  readonly what: string;
  /** Shorter wording for narrow terminals. */
  readonly short: string;
  /** Lower is kept longer when the line is short. */
  readonly priority: number;
}

export function footerItems(step: number): Item[] {
  return [
    {keys: '+ −', what: `users ±${step}`, short: `±${step}`, priority: 0},
    {keys: '[ ]', what: 'step', short: 'step', priority: 3},
    {keys: 'p', what: 'hold', short: 'hold', priority: 2},
    {keys: 'n', what: 'next', short: 'next', priority: 2},
    {keys: 'b', what: 'baseline', short: 'base', priority: 2},
    {keys: '↑↓', what: 'select', short: 'sel', priority: 4},
    {keys: 's', what: 'sort', short: 'sort', priority: 5},
    {keys: 'f', what: 'freeze', short: 'frz', priority: 5},
    {keys: 'tab', what: 'view', short: 'view', priority: 1},
    {keys: '?', what: 'help', short: 'help', priority: 0},
    {keys: 'q', what: 'quit', short: 'quit', priority: 0},
  ];
}

/** The keys that fit, most important first, shown in their usual order; shorter wording when narrow. */
export function footerSegs(step: number, view: View, width: number, frozen = false): Seg[] {
  const items = footerItems(step);
  const head: Seg[] = [{text: ` ${view} `, inverse: true}, {text: ' '}];
  if (frozen) head.push({text: ' frozen · f resumes ', inverse: true, bold: true, color: 'yellow'}, {text: ' '});
  const label = (i: Item, short: boolean) => (short ? i.short : i.what);
  const widthOf = (short: boolean, gap: number) =>
    segsWidth(head) + items.reduce((n, i) => n + i.keys.length + 1 + label(i, short).length, 0) + gap * (items.length - 1);
  const short = widthOf(false, 3) > width;
  const gap = short ? 2 : 3;
  let used = segsWidth(head);
  const keep = new Set<Item>();
  for (const item of [...items].sort((a, b) => a.priority - b.priority)) {
    const w = item.keys.length + 1 + label(item, short).length + (keep.size > 0 ? gap : 0);
    if (used + w > width) continue;
    keep.add(item);
    used += w;
  }
  const segs = [...head];
  for (const item of items.filter((i) => keep.has(i))) {
    if (segs.length > head.length) segs.push({text: ' '.repeat(gap)});
    segs.push({text: item.keys, bold: true, color: 'cyan'}, {text: ` ${label(item, short)}`, dim: true});
  }
  return fitSegs(segs, width);
}

export default function Footer({step, view, frozen, width, color}: Props) {
  return <SegLine segs={footerSegs(step, view, width, frozen)} color={color} />;
}
