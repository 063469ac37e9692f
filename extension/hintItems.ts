// The inlay hints of a report as plain data: where each goes, its label and its tooltip. The analysis
// worker makes them for the display options of its request and sends them with the report, so the
// extension host answers VS Code's hint requests without decoding the report's rows and statements
// (lazyReport.ts) or working out the places again on every edit. Pure (no vscode import).
import type { FileReport } from '../engine/report/types';
import { hintLabel, type DisplayOptions } from './format';
import { hintPlaces } from './reportQueries';
import { statementHint } from './statementText';

export interface HintItem {
  /** 1-based, as in the report. */
  line: number;
  /** 0-based; undefined: at the end of the line. */
  col?: number;
  label: string;
  tooltip: string;
}

/** The hint items of a report for these display options, with the options they were made for. */
export interface HintItems {
  display: string;
  items: HintItem[];
}

/** What makes two display options give the same labels. */
export const displayKey = (o: DisplayOptions): string => JSON.stringify([o.hintParts, o.computeUnit, o.batchDimension]);

/** Every hint of the report (the rule is `hintPlaces`'s); places with nothing to show are left out. */
export function makeHintItems(report: FileReport, o: DisplayOptions): HintItems {
  const items: HintItem[] = [];
  for (const place of hintPlaces(report)) {
    const st = place.statement;
    const label = st ? statementHint(st, place.model.framework, o) : hintLabel(place.rows, place.model.framework, o);
    if (!label) continue;
    const tooltip = st ? (st.calls.length ? `Calls: ${[...new Set(st.calls.map((c) => c.name))].join(', ')}` : 'The value this statement produces')
      : place.rows.length > 1 ? place.rows.map((r) => r.path).join(', ') : `${place.rows[0].path} (${place.rows[0].type})`;
    items.push({ line: place.line, ...(place.col === undefined ? {} : { col: place.col }), label, tooltip });
  }
  return { display: displayKey(o), items };
}

/** Each report's items, as the worker sent them or as made here once. */
const itemsOf = new WeakMap<FileReport, HintItems>();

/** Keeps the items the worker made for `report` (they are handed out while the display options match). */
export function noteHintItems(report: FileReport, items: HintItems): void {
  itemsOf.set(report, items);
}

/** The report's hint items for these options: the worker's when they match, else made from the report once. */
export function hintItems(report: FileReport, o: DisplayOptions): HintItem[] {
  const kept = itemsOf.get(report);
  if (kept && kept.display === displayKey(o)) return kept.items;
  const made = makeHintItems(report, o);
  itemsOf.set(report, made);
  return made.items;
}
